import { main, reportAndExit } from './main';

main(process.argv.slice(2)).catch(reportAndExit);
