import { main } from './run-central-server';
import { exitWithError } from '../node-common/start-problem';

main(process.argv.slice(2)).catch(exitWithError);
