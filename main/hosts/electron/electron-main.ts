// Entry of the Electron main process: `electron dist/electron/main.cjs [console options]`.
import { join } from 'node:path';
import { app, dialog } from 'electron';
import { appRoot } from '../../app-paths';
import { parseConsoleOptions } from '../../cli/console-options';
import { registerAppScheme, startElectronShell } from './electron-shell';

registerAppScheme();

// A packaged app ships SQLite built for Electron in resources/native; `npm start` points at its own build instead.
if (app.isPackaged && !process.env.CORDON_SQLITE_NATIVE_BINDING) {
  process.env.CORDON_SQLITE_NATIVE_BINDING = join(process.resourcesPath, 'native', `electron-${process.versions.electron}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
}

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
