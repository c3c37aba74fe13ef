export async function runDemo(_o: { keep: boolean; bundleDir: string }): Promise<string> { return 'demo: not yet\n'; }
