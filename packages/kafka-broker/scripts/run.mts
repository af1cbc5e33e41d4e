// Runs the embedded broker from the command line: node --import tsx scripts/run.mts [--port N] [--data-dir DIR | --memory]
import { main } from '../src/cli.ts';

await main(process.argv.slice(2));
