// Running a roundtable: the facilitator edits columns, clusters notes, runs the
// shared countdown and moves the phases while a participant follows live; a
// dropped connection misses nothing; the whole flow once by keyboard only; the
// record on the public page, with and without JavaScript. axe on every state.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));
const upcoming = demo.roundtables[0];
const finished = demo.roundtables.find((r) => r.session);

async function openBoard(page, server) {
  await page.goto(server.url + '/roundtables/1/board');
  await ready(page, true);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(upcoming.title);
}

const column = (page, title) => page.getByRole('region', { name: title, exact: true }).first();
const questions = (page) => column(page, t['board.column.questions']);
// A stored note (its copy waiting in the author's outbox may still show while the send returns).
const note = (page, text) => page.locator('.note:not(.waiting)', { hasText: text });

async function addNote(page, text) {
  await questions(page).getByLabel(t['board.new_note']).fill(text);
  await questions(page).getByRole('button', { name: t['board.add'] }).click();
  await expect(note(page, text)).toBeVisible();
}

/** Opens a disclosure (`<details>`) by its summary unless it is open already. */
async function open(details) {
  if (!(await details.evaluate((el) => el.open))) await details.locator('summary').click();
}

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** `page` for the first person; the second in a browser of their own (`options`). */
async function twoBrowsers(browser, page, server, who = ['facilitadora', 'vecina'], options = {}) {
  const people = [page];
  await logIn(page, server, account(who[0]), true);
  const other = await (await browser.newContext(options)).newPage();
  await logIn(other, server, account(who[1]), true);
  people.push(other);
  for (const p of people) await openBoard(p, server);
  return people;
}

test('the facilitator edits columns, clusters notes, runs the countdown and the phases', async ({ browser, page, server }) => {
  const [team, vecina] = await twoBrowsers(browser, page, server);
  const board1 = team.getByRole('region', { name: t['board.number.1'] });

  // A new column reaches the participant without reloading.
  await open(board1.locator('details.board-tools'));
  await board1.getByLabel(t['board.new_column']).fill('Dudas legales');
  await board1.getByRole('button', { name: t['board.add_column'] }).click();
  await expect(vecina.getByRole('heading', { name: 'Dudas legales' })).toBeVisible();
  await open(column(team, 'Dudas legales').locator('details.column-editor'));
  await column(team, 'Dudas legales').getByLabel(t['board.column_title']).fill('Aspectos legales');
  await column(team, 'Dudas legales').getByRole('button', { name: t['action.save'] }).click();
  await expect(vecina.getByRole('heading', { name: 'Aspectos legales' })).toBeVisible();

  // A cluster, and a participant's note grouped in it by a list and a button.
  await addNote(vecina, '¿Incluye las plazas?');
  await open(board1.locator('details.board-tools'));
  await board1.getByLabel(t['board.new_cluster']).fill('Alcance del mapa');
  await board1.getByRole('button', { name: t['board.add_cluster'] }).click();
  await expect(vecina.getByRole('region', { name: t['board.clusters'] }).first()).toContainText('Alcance del mapa');
  await note(team, '¿Incluye las plazas?').getByLabel(t['board.cluster']).selectOption({ label: 'Alcance del mapa' });
  await note(team, '¿Incluye las plazas?').getByRole('button', { name: t['board.group'] }).click();
  await expect(note(vecina, '¿Incluye las plazas?')).toContainText('Alcance del mapa');

  // The shared countdown shows on every screen.
  await team.getByLabel(t['timer.minutes']).fill('2');
  await team.getByRole('button', { name: t['timer.start'] }).click();
  await expect(vecina.getByRole('timer')).toHaveText(/^[12]:\d\d$/);
  await expectAccessible(team, 'facilitator controls with a countdown');
  await expectAccessible(vecina, 'participant with a countdown and a cluster');

  // Part (a) → vote → part (b) → closed: the boards lock and the record shows.
  for (const phase of ['vote', 'part_b', 'closed']) {
    await team.getByRole('button', { name: t['phase.move_to'].replace('{phase}', t[`phase.${phase}`]) }).click();
    await expect(vecina.locator('.phases [aria-current="step"]')).toHaveText(t[`phase.${phase}`]);
  }
  await expect(vecina.getByText(t['board.locked']).first()).toBeVisible();
  await expect(vecina.getByLabel(t['board.new_note'])).toHaveCount(0);
  await expect(vecina.getByRole('timer')).toHaveCount(0);
  await expectAccessible(vecina, 'closed board');
  await vecina.goto(server.url + '/roundtables/1');
  await ready(vecina, true);
  const record = vecina.getByRole('region', { name: t['record.title'] });
  await expect(record).toContainText('¿Incluye las plazas?');
  await expect(record.getByRole('link', { name: 'CSV' })).toBeVisible();
  await expectAccessible(vecina, 'roundtable record');
});

test('a dropped connection, once restored, misses nothing (on a phone)', async ({ browser, page, server }) => {
  const [osc, vecina] = await twoBrowsers(browser, page, server, ['osc', 'vecina'], phone);
  // Each (re)connection of the live stream, with the last event number it gave.
  const connections = [];
  vecina.on('request', (r) => {
    if (!r.url().includes('/live')) return;
    connections.push(new URL(r.url()).searchParams.get('after') || r.headers()['last-event-id'] || null);
  });
  await addNote(osc, 'Antes del corte');
  await expect(note(vecina, 'Antes del corte')).toBeVisible();
  await vecina.context().setOffline(true);
  // While vecina is offline, notes are written and one is deleted.
  await addNote(osc, 'Durante el corte 1');
  await addNote(osc, 'Durante el corte 2');
  await note(osc, 'Antes del corte').getByRole('button', { name: t['board.delete'] }).click();
  await expect(note(osc, 'Antes del corte')).toHaveCount(0);
  await expect(note(vecina, 'Durante el corte 1')).toHaveCount(0);
  await vecina.context().setOffline(false);
  await expect(note(vecina, 'Durante el corte 1')).toBeVisible({ timeout: 15_000 });
  await expect(note(vecina, 'Durante el corte 2')).toBeVisible();
  await expect(note(vecina, 'Antes del corte')).toHaveCount(0);
  // The browser reconnected saying what it had seen, so the server replayed the rest.
  expect(connections.filter((seen) => seen !== null).length).toBeGreaterThan(0);
  // The board fits the phone's width: columns stack, nothing scrolls sideways.
  expect(await vecina.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await expectAccessible(vecina, 'board after a reconnection, on a phone');
});

/** Presses Tab until `target` has the focus (the keyboard is the only input). */
async function tabTo(page, target, max = 400) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`not reachable with Tab: ${target}`);
}

test('the whole flow by keyboard only', async ({ browser, page, server }) => {
  await logIn(page, server, account('facilitadora'), true, { keyboard: true });
  const vecina = await (await browser.newContext()).newPage();
  await logIn(vecina, server, account('vecina'), true, { keyboard: true });
  const team = page;
  for (const p of [team, vecina]) {
    await p.goto(server.url + '/roundtables/1');
    await ready(p, true);
    await tabTo(p, p.getByRole('link', { name: t['board.open'] }));
    await p.keyboard.press('Enter');
    await expect(p.getByRole('heading', { level: 1 })).toContainText(upcoming.title);
    await ready(p, true);
  }
  // A note, written and then edited.
  await tabTo(vecina, questions(vecina).getByLabel(t['board.new_note']));
  await vecina.keyboard.type('Nota escrita con el teclado');
  await vecina.keyboard.press('Tab');
  await vecina.keyboard.press('Enter');
  await expect(note(team, 'Nota escrita con el teclado')).toBeVisible();
  await tabTo(vecina, note(vecina, 'Nota escrita con el teclado').getByText(t['board.edit']));
  await vecina.keyboard.press('Enter');
  await tabTo(vecina, note(vecina, 'Nota escrita con el teclado').getByLabel(t['board.note_text']));
  await vecina.keyboard.press('ControlOrMeta+A');
  await vecina.keyboard.type('Nota corregida con el teclado');
  await vecina.keyboard.press('Tab');
  await vecina.keyboard.press('Enter');
  await expect(note(team, 'Nota corregida con el teclado')).toBeVisible();

  // The team clusters it and opens the vote from the board's cluster.
  const board1 = team.getByRole('region', { name: t['board.number.1'] });
  await tabTo(team, board1.getByText(t['board.tools']));
  await team.keyboard.press('Enter');
  await tabTo(team, board1.getByLabel(t['board.new_cluster']));
  await team.keyboard.type('Teclado');
  await team.keyboard.press('Enter');
  const grouped = note(team, 'Nota corregida con el teclado');
  await expect(grouped.getByLabel(t['board.cluster'])).toBeVisible();
  await tabTo(team, grouped.getByLabel(t['board.cluster']));
  await team.keyboard.press('ArrowDown');
  await expect(grouped.getByLabel(t['board.cluster'])).toHaveValue(/\d+/);
  await tabTo(team, grouped.getByRole('button', { name: t['board.group'] }));
  await team.keyboard.press('Enter');
  await expect(note(vecina, 'Nota corregida con el teclado')).toContainText('Teclado');
  await tabTo(team, team.getByRole('button', { name: t['phase.move_to'].replace('{phase}', t['phase.vote']) }));
  await team.keyboard.press('Enter');
  await expect(vecina.locator('.phases [aria-current="step"]')).toHaveText(t['phase.vote']);
  await tabTo(team, team.getByRole('group', { name: t['vote.from_clusters'] }).getByLabel('Teclado'));
  await team.keyboard.press('Space');
  await tabTo(team, team.getByLabel(label(t['vote.options'])));
  await team.keyboard.type('Otro tema');
  await tabTo(team, team.getByRole('button', { name: t['vote.open'] }));
  await team.keyboard.press('Enter');

  // The participant votes with the keyboard; the team closes and moves on.
  const cast = vecina.getByRole('button', { name: `${t['vote.cast']}: Teclado` });
  await expect(cast).toBeVisible();
  await tabTo(vecina, cast);
  await vecina.keyboard.press('Enter');
  await expect(vecina.getByText(t['vote.left:other'].replace('{count}', '2'))).toBeVisible();
  await tabTo(team, team.getByRole('button', { name: t['vote.close'] }));
  await team.keyboard.press('Enter');
  await expect(vecina.getByText(t['vote.chosen'].replace('{topic}', 'Teclado'))).toBeVisible();
  await tabTo(team, team.getByRole('button', { name: t['phase.move_to'].replace('{phase}', t['phase.part_b']) }));
  await team.keyboard.press('Enter');
  await expect(vecina.locator('.phases [aria-current="step"]')).toHaveText(t['phase.part_b']);
  const problem = column(vecina, t['board.column.problem']);
  await tabTo(vecina, problem.getByLabel(t['board.new_note']));
  await vecina.keyboard.type('Problema escrito con el teclado');
  await vecina.keyboard.press('Tab');
  await vecina.keyboard.press('Enter');
  await expect(note(team, 'Problema escrito con el teclado')).toBeVisible();
  await expectAccessible(vecina, 'board after the keyboard flow');
});

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('a finished roundtable keeps its record on the public page', async ({ page, server }) => {
      await page.goto(server.url + '/processes/' + demo.processes[0].slug + '/roundtables');
      await page.getByRole('link', { name: finished.title }).click();
      await ready(page, js);
      const record = page.getByRole('region', { name: t['record.title'] });
      await expect(record).toContainText(t['vote.chosen'].replace('{topic}', finished.session.vote.topics[0]));
      await expect(record).toContainText(finished.session.notes[0].body);
      await expect(record).toContainText(t['export.attendance'].replace('{attended}', '2').replace('{registered}', '2'));
      await expectAccessible(page, 'public record');
      // The process counts its finished roundtables and the follow-up meetings on its commitments as public meetings.
      const followups = demo.commitments.flatMap((c) => c.followups || []).length;
      await page.goto(server.url + '/processes/' + demo.processes[0].slug);
      await ready(page, js);
      const figures = page.getByRole('region', { name: t['process.figures'] });
      await expect(figures.locator('div', { hasText: t['process.figures.public_meetings'] }).locator('dd')).toHaveText(String(2 + followups));
      await expectAccessible(page, 'process with figures');
    });
  });
}
