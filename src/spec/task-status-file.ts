import path from 'node:path';
import { withFileLock } from '../store/lock.js';
import { SpecError } from './errors.js';
import { readTasksText, tasksPath } from './spec-dir.js';
import { findUniqueTask, parseTasks, setTaskStatus, type TaskStatus } from './tasks-file.js';
import { writeFileAtomic } from '../store/atomic-file.js';

export interface TaskStatusUpdate {
  changed: boolean;
  previous: TaskStatus;
}

/**
 * Set one task's marker in a spec's tasks.md, as spec-workflow's dashboard does (a task leaving
 * [~] loses its `_Blocked:` line; see setTaskStatus); an id on several lines is refused. Read,
 * change and write happen under the file lock so two of our processes never lose each other's
 * edit; the write is a rename so the dashboard never reads half a file. (spec-workflow itself
 * writes without a lock; the window is a few ms.)
 */
export function updateTaskStatusFile(
  projectDir: string,
  spec: string,
  id: string,
  status: TaskStatus,
): TaskStatusUpdate {
  const file = tasksPath(projectDir, spec);
  readTasksText(projectDir, spec); // an unknown spec fails here, before a lock file is made in a missing folder
  return withFileLock(file, () => {
    const text = readTasksText(projectDir, spec);
    if (!findUniqueTask(parseTasks(text), id, path.relative(projectDir, file)))
      throw new SpecError(`no task ${JSON.stringify(id)} in spec ${JSON.stringify(spec)}`);
    const result = setTaskStatus(text, id, status);
    if (result.changed) writeFileAtomic(file, result.text);
    return { changed: result.changed, previous: result.previous };
  });
}
