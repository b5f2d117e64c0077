import { join } from 'node:path';
import { expect, test } from './fixtures';
import { type Page } from '@playwright/test';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { bookOn, createIncidentByKeyboard, signIn } from './helpers';

async function command(page: Page, line: string) {
  await page.keyboard.press('F6');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

test('an incident’s life by keyboard: opened (its log says as what), typed again and re-assessed, closed with its reservation cancelled, reopened by a dispatcher, not by a call handler', async ({ newContext }) => {
  const dir = makeTempDir();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'));
  const dispatchDesk = await startConsoleProcess({ server: server.url, workstation: 'DISP-1', operator: 'bob', dataDir: join(dir.path, 'd') });
  const handlerDesk = await startConsoleProcess({ server: server.url, workstation: 'CALLS-1', operator: 'alice', dataDir: join(dir.path, 'c') });
  try {
    const page = await (await newContext()).newPage();
    await page.goto(dispatchDesk.windowUrl);
    await signIn(page, 'bob');
    const answer = page.getByRole('status', { name: 'Command result' });

    await createIncidentByKeyboard(page, { type: 'Theft', location: '12 Market Street', grade: '3', firstLog: 'Bicycle taken from the yard' });
    const detail = page.getByRole('region', { name: /^Incident (DMO|DISP)-/ });
    const log = page.getByRole('log', { name: /^Log of / });
    await expect(log.getByRole('listitem').first()).toContainText('Opened as Theft (THEFT), grade 3 Scheduled, at 12 Market Street; source: raised at the desk, not from a call');
    await expect(log.getByRole('listitem').nth(1)).toContainText('Bicycle taken from the yard');

    // Assessed, then found to be a burglary: the type changes, the opening type stays, the assessment is due again.
    const risk = page.getByRole('region', { name: 'Risk assessment' });
    await risk.getByRole('button', { name: 'Assess risk' }).press('Enter');
    const questions = await risk.getByRole('radiogroup').count();
    for (let i = 0; i < questions; i++) await page.keyboard.press('n');
    await page.keyboard.press('Enter');
    await expect(risk).toContainText(/Risk assessed at \d\d:\d\d:\d\d by bob/);
    await command(page, 'TYPE BURGLARY the shed door was forced');
    await expect(answer).toHaveText(/ is now Burglary: assess its risk again$/);
    await expect(detail).toContainText('Burglary (opened as Theft)');
    await expect(risk).toContainText('Risk re-assessment due: type changed to Burglary.');
    await expect(log).toContainText('Type changed from Theft (THEFT) to Burglary (BURGLARY): the shed door was forced. Opened as Theft (THEFT)');
    // Typed again as what it now is: said so, and nothing is changed or asked again.
    await command(page, 'TYPE BURGLARY');
    await expect(page.getByRole('alert', { name: 'Command result' })).toHaveText(/ is already Burglary \(BURGLARY\): nothing changed$/);
    await expect(log.getByRole('listitem').filter({ hasText: 'Type changed from' })).toHaveCount(1);
    // The refused line stays in the command line to be corrected; cleared for what comes next.
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');

    // DM-11 reserved for an appointment; closing says first that it cancels it, then does.
    await bookOn(page, 'DM-11');
    await command(page, 'AS DM-11 23:59');
    await expect(answer).toHaveText(/^DM-11 reserved for /);
    await expect(page.getByText(/^Closing cancels the reservation of DM-11 for /)).toBeVisible();
    await command(page, 'CLOSE ADVICE');
    await expect(answer).toHaveText(/ closed \(ADVICE\)$/);
    await expect(log).toContainText(/DM-11 reservation for .* cancelled: the incident is closed/);
    const queue = page.getByRole('listbox', { name: 'Open incidents' });
    await expect(queue.getByRole('option', { name: /Market Street/ })).toHaveCount(0);
    const closed = page.getByRole('region', { name: 'Closed incident' });
    await expect(closed).toContainText('by bob: Advice given (ADVICE).');
    // Closed, its risk is history: what it closed with, nothing offered (the command would be refused), nothing due.
    await expect(risk).toContainText(/Closed with the risk assessed at \d\d:\d\d:\d\d by bob \(a re-assessment was due: type changed to Burglary\)\./);
    await expect(risk.getByRole('button')).toHaveCount(0);
    await expect(risk.getByRole('alert')).toHaveCount(0);
    // Its force reference, once the server has given it: taken while still provisional, the desks name it otherwise later.
    await expect(detail.getByRole('heading').first()).toContainText(/DMO-\d{8}-\d{4}/, { timeout: 15_000 });
    const reference = (await detail.getByRole('heading').first().textContent())!.match(/DMO-\d{8}-\d{4}/)![0];

    // A call handler finds it when the caller rings back: she may not reopen it, and is told who may.
    const handler = await (await newContext()).newPage();
    await handler.goto(handlerDesk.windowUrl);
    await signIn(handler, 'alice');
    await command(handler, `FIND ${reference}`);
    // A closed incident is shown with a reason (the demonstration force asks for one); she is working on nothing else.
    const why = handler.getByRole('dialog', { name: 'Reason for looking' }).getByLabel('Reason');
    await why.fill('Caller rang back about it');
    await why.press('Enter');
    await expect(handler.getByRole('region', { name: 'Closed incident' })).toContainText('Only a dispatcher or supervisor may reopen it');
    await command(handler, 'REOPEN caller rang back');
    await expect(handler.getByRole('alert', { name: 'Command result' })).toHaveText('only a dispatcher or supervisor may reopen an incident');

    // The dispatcher reopens it with the reason: back in the queue, its clock running again, at both desks.
    await command(page, 'REOPEN caller rang back: the bicycle is in the next garden');
    await expect(answer).toHaveText(/ reopened: back in the queue, its attendance clock running again$/);
    await expect(queue.getByRole('option', { name: /Market Street/ })).toBeVisible();
    await expect(log).toContainText('Reopened: caller rang back: the bicycle is in the next garden. It had been closed as Advice given (ADVICE) by bob');
    await expect(detail).toContainText(/Reopened.*by bob: caller rang back: the bicycle is in the next garden \(had closed .* as ADVICE, by bob\)/);
    await expect(risk).toContainText('Risk re-assessment due: the incident was reopened.');
    await expect(handler.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Market Street/ })).toBeVisible({ timeout: 10_000 });
  } finally {
    await dispatchDesk.stop();
    await handlerDesk.stop();
    await server.stop();
    dir.remove();
  }
});
