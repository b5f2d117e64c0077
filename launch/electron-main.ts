// Entry of the Electron main process: `electron dist/electron/main.cjs [console options]`.
import { join } from 'node:path';
import { appRoot } from '../node-common/app-paths';
import { parseConsoleOptions } from './console-options';
import { runElectronApp } from '../main/hosts/electron/electron-shell';

runElectronApp(parseConsoleOptions, {
  preload: join(__dirname, 'preload.cjs'),
  coreProcess: join(__dirname, 'core-process.cjs'),
  rendererDir: join(appRoot(), 'dist', 'renderer'),
});
