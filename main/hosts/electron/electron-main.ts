// Entry of the Electron main process: `electron dist/electron/main.cjs [console options]`.
import { join } from 'node:path';
import { app, dialog } from 'electron';
import { appRoot } from '../../app-paths';
import { parseConsoleOptions } from '../../cli/console-options';
import { registerAppScheme, startElectronShell } from './electron-shell';

registerAppScheme();

const options = parseConsoleOptions(process.argv.slice(app.isPackaged ? 1 : 2));
if (options === 'help') {
  app.quit();
} else {
  startElectronShell(options, {
    preload: join(__dirname, 'preload.cjs'),
    coreProcess: join(__dirname, 'core-process.cjs'),
    rendererDir: join(appRoot(), 'dist', 'renderer'),
  }).catch((error: unknown) => {
    dialog.showErrorBox('Cordon could not start', (error as Error).message);
    app.exit(1);
  });
}
