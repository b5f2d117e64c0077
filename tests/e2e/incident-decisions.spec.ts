import { join } from 'node:path';
import { expect, test } from './fixtures';
import { type Page } from '@playwright/test';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { createIncidentByKeyboard, signIn, selectByKeyboard } from './helpers';

async function command(page: Page, line: string) {
  await page.keyboard.press('F6');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The queue takes the keyboard (F4) and its selection goes to `option`. */
async function selectInQueue(page: Page, option: ReturnType<Page['getByRole']>) {
  await page.keyboard.press('F4');
  await selectByKeyboard(page, option);
}

test('a downgrade waits for a supervisor, who confirms it by keyboard; the risk is then due again and re-assessed; a link is made and undone', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'a') });
  const supervisorDesk = await startConsoleProcess({ server: server.url, workstation: 'SUP-1', operator: 'carol', dataDir: join(dir.path, 's') });
  try {
    const handler = await (await newContext()).newPage();
    const supervisor = await (await newContext()).newPage();
    await handler.goto(handlerDesk.windowUrl);
    await supervisor.goto(supervisorDesk.windowUrl);
    await signIn(handler, 'alice');
    await signIn(supervisor, 'carol');

    await createIncidentByKeyboard(handler, { type: 'Burglary', location: '4 Quay Street', grade: '3', firstLog: 'Shed broken into overnight' });
    await createIncidentByKeyboard(handler, { type: 'Burglary', location: '12 Shirley Road', grade: '2', firstLog: 'Caller disturbed intruder' });
    const answer = handler.getByRole('status', { name: 'Command result' });
    await expect(handler.getByRole('region', { name: /Incident DMO-\d{8}-0002/ })).toBeVisible();

    // The call handler asks for grade 3: it waits, the grade stays 2, everyone sees it waiting.
    await command(handler, 'GR 3 caller now says the intruder left before police were called');
    await expect(answer).toHaveText(/Downgrade of DMO-\d{8}-0002 waits for a supervisor/);
    const waitingAtHandler = handler.getByRole('region', { name: 'Downgrade waiting for a supervisor' });
    await expect(waitingAtHandler).toContainText('Waiting for a supervisor; the grade stays until then.');
    await expect(handler.getByRole('button', { name: 'Confirm downgrade' })).toHaveCount(0);

    // The supervisor finds it, writes a note and confirms, keyboard only.
    const onSupervisor = supervisor.getByRole('option', { name: /DMO-\d{8}-0002 .*Shirley Road/ });
    await expect(onSupervisor).toBeVisible({ timeout: 5_000 });
    await selectInQueue(supervisor, onSupervisor);
    const waiting = supervisor.getByRole('region', { name: 'Downgrade waiting for a supervisor' });
    await expect(waiting).toContainText('asked by alice');
    await supervisor.keyboard.press('Tab');
    await expect(waiting.getByLabel('Supervisor’s note')).toBeFocused();
    await supervisor.keyboard.type('agreed, no threat now');
    await supervisor.keyboard.press('Tab');
    await expect(waiting.getByRole('button', { name: 'Confirm downgrade' })).toBeFocused();
    await supervisor.keyboard.press('Enter');
    await expect(waiting).toBeHidden();
    await expect(onSupervisor).toContainText('Grade 3');
    const supervisorLog = supervisor.getByRole('log', { name: /Log of DMO-\d{8}-0002/ });
    await expect(supervisorLog).toContainText('Downgrade to grade 3 confirmed (agreed, no threat now) (asked by alice');

    // At the handler's desk: grade 3 now, and the risk must be assessed (never assessed for this incident).
    await expect(handler.getByRole('option', { name: /DMO-\d{8}-0002 .*Shirley Road/ })).toContainText('Grade 3', { timeout: 5_000 });
    const risk = handler.getByRole('region', { name: 'Risk assessment' });
    await expect(risk).toContainText('Risk not assessed yet.');
    await risk.getByRole('button', { name: 'Assess risk' }).press('Enter');
    await expect(risk.getByRole('radiogroup').first().getByRole('radio').first()).toBeFocused();
    const questions = await risk.getByRole('radiogroup').count();
    for (let i = 0; i < questions; i++) await handler.keyboard.press(i === 0 ? 'y' : 'n');
    await expect(risk.getByRole('button', { name: 'Save assessment' })).toBeFocused();
    await handler.keyboard.press('Enter');
    await expect(risk).toContainText(/Risk assessed at \d\d:\d\d:\d\d by alice/);
    await expect(handler.getByRole('log', { name: /Log of DMO-\d{8}-0002/ })).toContainText('Threat: Is anyone in immediate danger? YES');

    // A fact that bears on risk changes: the grade goes up again, and the assessment is due again.
    await command(handler, 'GR 1 intruder has come back');
    await expect(risk).toContainText('Risk re-assessment due: grade changed to 1.');

    // Linked as related, seen from both, and undone.
    const firstReference = (await handler.getByRole('option', { name: /Quay Street/ }).locator('.ref').textContent())!;
    await command(handler, `LINK ${firstReference}`);
    await expect(answer).toHaveText(new RegExp(`linked to ${firstReference}`));
    const related = supervisor.getByRole('region', { name: 'Related incidents' });
    await expect(related).toContainText(firstReference, { timeout: 5_000 });
    await related.getByRole('button', { name: `Unlink ${firstReference}` }).press('Enter');
    await expect(related).toBeHidden();
    await expect(supervisorLog).toContainText(`No longer related to ${firstReference}`);
    await expect(handler.getByRole('region', { name: 'Related incidents' })).toBeHidden({ timeout: 5_000 });
  } finally {
    await handlerDesk.stop();
    await supervisorDesk.stop();
    await server.stop();
    dir.remove();
  }
});
