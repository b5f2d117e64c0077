import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { neighbourForceConfigFile } from '../../node-common/force-config-file';
import { neighbourOperatorsFile } from '../../server/access/operators-file';
import { expect, test } from './fixtures';
import { startConsoleProcess, startServerProcess } from '../fakes/processes';
import { makeTempDir } from '../fakes/temp-dir';
import { answerAndLocate, bookOn, signIn } from './helpers';

// A 101 call about a doorstep scam, from Market Place, Northbridge: the neighbouring force's town, north of the
// border in the exercise area.
const calls = {
  calls: [{ id: 'scam', at: 2, source: '101', callerNumber: '07700 900808', handset: { point: { lat: 54.10537, lon: 1.71029 }, accuracyM: 20, source: 'AML', after: 2 } }],
};

test('a console of the second force alone, Northbridge Police: its accounts, a call taken and graded 5 in Northbridge by keyboard, coloured by its common priority, and one of its units deployed', async ({ newContext }) => {
  const dir = makeTempDir();
  const script = join(dir.path, 'calls.json');
  writeFileSync(script, JSON.stringify(calls));
  const forceConfig = neighbourForceConfigFile();
  const server = await startServerProcess(join(dir.path, 'central.sqlite'), 0, { forceConfig, operators: neighbourOperatorsFile() });
  const desk = await startConsoleProcess({ server: server.url, workstation: 'NB-DESK-1', operator: 'priya', dataDir: join(dir.path, 'desk'), calls: script, vehicles: true, forceConfig });
  try {
    const context = await newContext();
    const handler = await context.newPage();
    await handler.goto(desk.windowUrl.replace('role=incidents', 'role=calltaking'));
    // Its own accounts on its sign-in screen, none of the demonstration force's.
    const accounts = handler.getByRole('list', { name: 'Demonstration accounts' });
    await expect(accounts).toContainText('priya supervisor, dispatcher, call handler');
    await expect(accounts).not.toContainText('alice');
    await signIn(handler, 'priya', 'demo', 'Calls');
    await expect(handler.getByRole('banner')).toContainText('Northbridge Police');

    // The call: located in Northbridge, typed as a fraud (its own type, grade 5 by default), its own THRIVE questions.
    const form = await answerAndLocate(handler, '07700 900808', 'market place', 'Market Place');
    await expect(form).toContainText('Location: Market Place, Northbridge');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('Fraud');
    await expect(form.getByLabel('Incident type')).toHaveValue('FRAUD');
    await expect(form.getByLabel('Grade')).toHaveValue('5');
    await handler.keyboard.press('Tab');
    await handler.keyboard.type('5');
    await expect(form.getByLabel('Grade')).toHaveValue('5');
    await expect(form).toContainText("Has money already left the caller's account, or is it about to?");
    await handler.keyboard.press('Tab');
    for (const answer of ['n', 'n', 'n', 'n', 'y', 'y', 'y', 'y', 'n']) await handler.keyboard.press(answer);
    await expect(form.getByLabel('What is happening')).toBeFocused();
    await handler.keyboard.type('Caller paid a doorstep trader for roof work never done; trader due back Friday');
    await handler.keyboard.press('Control+Enter');
    await expect(handler.getByRole('status', { name: 'Announcements' })).toHaveText(/^Incident .+ created$/);

    // At dispatch: the force's own grade shown, the row coloured by that grade's common priority (4, scheduled), as
    // the demonstration force's grade 3 is, not grey as an unknown grade.
    const dispatcher = await context.newPage();
    await dispatcher.goto(desk.windowUrl);
    await signIn(dispatcher, 'priya');
    const incident = dispatcher.getByRole('listbox', { name: 'Open incidents' }).getByRole('option', { name: /Grade 5 Appointment\s*Fraud or scam reported\s*Market Place, Northbridge/ });
    await expect(incident).toBeVisible({ timeout: 10_000 });
    await expect(incident).toHaveAttribute('data-priority', '4');
    // A theme's colour token as the page computes it (a string: the e2e tests typecheck without the DOM's types).
    const colour = (variable: string) =>
      dispatcher.evaluate<string>(`(() => {
        const probe = document.createElement('div');
        probe.style.color = 'var(${variable})';
        document.body.append(probe);
        const value = getComputedStyle(probe).color;
        probe.remove();
        return value;
      })()`);
    await expect(incident).toHaveCSS('border-left-color', await colour('--priority-4'));
    expect(await colour('--priority-4')).not.toBe(await colour('--priority-5'));
    // The reference is the force's own, and the search offers it as the example.
    await expect(dispatcher.getByLabel('Find by reference')).toHaveAttribute('placeholder', /^e\.g\. NBR-\d{8}-0001 /);

    // Its units are proposed (NB-201 booked on, so one is on duty whatever the hour; the crews on shift book on by
    // their terminals), the nearest suitable first; Enter deploys it.
    await bookOn(dispatcher, 'NB-201');
    await dispatcher.keyboard.press('Escape');
    await dispatcher.keyboard.press('F4');
    await dispatcher.keyboard.press('Home');
    await expect(incident).toHaveAttribute('aria-selected', 'true');
    await dispatcher.keyboard.press('Shift+F4');
    const proposals = dispatcher.getByRole('listbox', { name: 'Recommended units' });
    await expect(proposals).toBeFocused();
    const top = proposals.getByRole('option').first();
    await expect(top).toContainText(/^NB-\d{3} (Neighbourhood officer|Response car) · available · \d+\.\d km/);
    await expect(proposals).toContainText('NB-201 Neighbourhood officer · available');
    const callSign = (await top.textContent())!.split(' ')[0]!;
    await dispatcher.keyboard.press('Enter');
    await expect(dispatcher.getByRole('status', { name: 'Announcements' })).toHaveText(new RegExp(`^${callSign} deployed to NBR-\\d{8}-0001$`));

    // The resources board says its status by the force's own codes; its terminal accepts.
    const resources = await context.newPage();
    await resources.goto(desk.windowUrl.replace('role=incidents', 'role=resources'));
    await signIn(resources, 'priya', 'demo', 'Units');
    const unit = resources.getByRole('listbox', { name: 'Units' }).getByRole('option', { name: new RegExp(`^${callSign}`) });
    await expect(unit).toContainText(/(Assigned \(status DS\)|En route \(status ER\)|At scene \(status OS\))/);
    await expect(unit).toContainText('terminal: accepted', { timeout: 15_000 });
    await expect(dispatcher.getByRole('log', { name: /^Log of NBR-/ })).toContainText(`${callSign} (terminal, via NB-DESK-1) ${callSign} accepted the deployment`);
  } finally {
    await desk.stop();
    await server.stop();
    dir.remove();
  }
});
