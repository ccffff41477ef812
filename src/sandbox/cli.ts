// Standalone sandbox: `npm run sandbox -- --port 8787 ...` (bundled to dist/sandbox.js).
import { UsageError, parseSandboxArgs, startSandbox, usage } from './index';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return;
  }
  let options;
  try {
    options = parseSandboxArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`sandbox: ${err.message}\n\n${usage()}`);
      process.exit(2);
    }
    throw err;
  }
  let sandbox;
  try {
    sandbox = await startSandbox({ ...options, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
  } catch (err) {
    console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
  console.log(`listening on ${sandbox.url}`);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
