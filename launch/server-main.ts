import { main, reportAndExit } from './run-central-server';

main(process.argv.slice(2)).catch(reportAndExit);
