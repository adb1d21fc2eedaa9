// A roundtable's boards: notes written in one browser appear in the others
// without reloading; the facilitator's lock reaches everyone; without JavaScript
// the board is readable and takes notes through a plain form. axe on every state.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));

async function openBoard(page, server) {
  await page.goto(server.url + '/processes/' + demo.processes[0].slug + '/roundtables');
  await page.getByRole('link', { name: demo.roundtables[0].title }).click();
  await page.getByRole('link', { name: t['board.open'] }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(demo.roundtables[0].title);
}

const questions = (page) => page.getByRole('region', { name: t['board.column.questions'], exact: true }).first();

test('three browsers on one board see each other\'s notes and the lock', async ({ browser, page, server }) => {
  const people = [page];
  await logIn(page, server, account('vecina'), true);
  for (const who of ['osc', 'facilitadora']) {
    const p = await (await browser.newContext()).newPage();
    await logIn(p, server, account(who), true);
    people.push(p);
  }
  for (const p of people) {
    await openBoard(p, server);
    await ready(p, true);
  }
  const [vecina, osc, team] = people;
  await expectAccessible(vecina, 'board');

  await questions(vecina).getByLabel(t['board.new_note']).fill('¿El mapa incluye las plazas?');
  await questions(vecina).getByRole('button', { name: t['board.add'] }).click();
  for (const p of [osc, team]) {
    await expect(questions(p).locator('.note .prose', { hasText: '¿El mapa incluye las plazas?' })).toBeVisible();
  }
  await questions(osc).getByLabel(t['board.new_note']).fill('¿Con qué frecuencia se actualiza?');
  await questions(osc).getByRole('button', { name: t['board.add'] }).click();
  await expect(questions(vecina).locator('.note .prose', { hasText: '¿Con qué frecuencia se actualiza?' })).toBeVisible();

  // Private writing: a note reaches its author and the team only, until revealed.
  await team.getByRole('button', { name: t['board.private_writing'] }).first().click();
  await expect(vecina.getByText(t['board.private_writing_on']).first()).toBeVisible();
  await questions(vecina).getByLabel(t['board.new_note']).fill('Idea escrita en privado');
  await questions(vecina).getByRole('button', { name: t['board.add'] }).click();
  const privateNote = (p) => questions(p).locator('.note .prose', { hasText: 'Idea escrita en privado' });
  await expect(privateNote(team)).toBeVisible();
  await expect(privateNote(vecina)).toBeVisible();
  await expect(osc.getByText(t['board.private_writing_on']).first()).toBeVisible();
  await expect(privateNote(osc)).toHaveCount(0);
  await expectAccessible(vecina, 'board in private writing');
  await team.getByRole('button', { name: t['board.reveal'] }).first().click();
  await expect(privateNote(osc)).toBeVisible();

  // The topic vote: opened by the team, dots by buttons, closed with the result.
  // Its opening and closing come in the stream's event: the pages do not read
  // the vote then (300 pages reading it at one instant kept them waiting).
  const voteReads = [];
  vecina.on('request', (r) => { if (new URL(r.url()).pathname === '/api/vote') voteReads.push(r.url()); });
  await team.getByLabel(label(t['vote.options'])).fill('Datos abiertos del arbolado\nCalendario de podas');
  await team.getByLabel(label(t['vote.show_live'])).check();
  await team.getByRole('button', { name: t['vote.open'] }).click();
  const castFor = (topic) => `${t['vote.cast']}: ${topic}`;
  await expect(vecina.getByRole('button', { name: castFor('Calendario de podas') })).toBeEnabled();
  // A read would follow within the page's 120 ms of coalescing.
  await vecina.waitForTimeout(400);
  expect(voteReads, 'the opening is not read').toEqual([]);
  await vecina.getByRole('button', { name: castFor('Calendario de podas') }).click();
  await expect(vecina.getByText(t['vote.left:other'].replace('{count}', '2'))).toBeVisible();
  voteReads.length = 0;
  await osc.getByRole('button', { name: castFor('Calendario de podas') }).click();
  await osc.getByRole('button', { name: castFor('Datos abiertos del arbolado') }).click();
  await expect(team.locator('.vote-options li', { hasText: 'Calendario de podas' })).toContainText('2');
  await expectAccessible(vecina, 'board with an open vote');
  await team.getByRole('button', { name: t['vote.close'] }).click();
  for (const p of people) {
    await expect(p.getByText(t['vote.chosen'].replace('{topic}', 'Calendario de podas'))).toBeVisible();
  }
  // Closed, with the counts and her own dot, and the buttons off.
  const closedOption = vecina.locator('.vote-options li', { hasText: 'Calendario de podas' });
  await expect(closedOption).toContainText(t['vote.dots:other'].replace('{count}', '2'));
  await expect(closedOption).toContainText(t['vote.mine:one'].replace('{count}', '1'));
  await expect(vecina.getByRole('button', { name: castFor('Calendario de podas') })).toBeDisabled();
  await vecina.waitForTimeout(400);
  expect(voteReads, 'the closing is not read').toEqual([]);

  // The facilitator locks board 1: everyone sees it, and no one can add.
  await team.getByRole('button', { name: t['board.lock'] }).first().click();
  await expect(vecina.getByText(t['board.locked']).first()).toBeVisible();
  await expect(questions(vecina).getByLabel(t['board.new_note'])).toHaveCount(0);
  await expectAccessible(vecina, 'locked board');
});

test('a visitor\'s board downloads no WebAssembly and follows notes and the vote live', async ({ browser, page, server }) => {
  const wasm = [];
  page.on('request', (req) => { if (req.url().endsWith('.wasm')) wasm.push(req.url()); });
  await openBoard(page, server);
  await ready(page, true);
  await expect(page.locator('leptos-island')).toHaveCount(0);
  await expect(questions(page).getByLabel(t['board.new_note'])).toHaveCount(0);
  const team = await (await browser.newContext()).newPage();
  await logIn(team, server, account('facilitadora'), true);
  await openBoard(team, server);
  await ready(team, true);

  await questions(team).getByLabel(t['board.new_note']).fill('Nota que ve quien visita');
  await questions(team).getByRole('button', { name: t['board.add'] }).click();
  await expect(questions(page).locator('.note .prose', { hasText: 'Nota que ve quien visita' })).toBeVisible();
  // A private note never reaches the visitor's page, however it is read.
  await team.getByRole('button', { name: t['board.private_writing'] }).first().click();
  await expect(page.getByText(t['board.private_writing_on']).first()).toBeVisible();
  await questions(team).getByLabel(t['board.new_note']).fill('Nota privada del equipo');
  await questions(team).getByRole('button', { name: t['board.add'] }).click();
  await expect(questions(team).locator('.note .prose', { hasText: 'Nota privada del equipo' })).toBeVisible();
  await team.getByLabel(label(t['vote.options'])).fill('Mapa de podas\nRiego');
  await team.getByLabel(label(t['vote.show_live'])).check();
  await team.getByRole('button', { name: t['vote.open'] }).click();
  await expect(page.locator('.vote-options li', { hasText: 'Mapa de podas' })).toBeVisible();
  // A dot shown live reaches the visitor's page too.
  await team.getByRole('button', { name: `${t['vote.cast']}: Mapa de podas` }).click();
  await expect(page.locator('.vote-options li', { hasText: 'Mapa de podas' }))
    .toContainText(t['vote.dots:one'].replace('{count}', '1'));
  await expect(questions(page).locator('.note .prose', { hasText: 'Nota privada del equipo' })).toHaveCount(0);
  // The connection drops and returns: what changed meanwhile arrives.
  await page.context().setOffline(true);
  await team.getByRole('button', { name: t['board.lock'] }).first().click();
  await expect(team.getByText(t['board.locked']).first()).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByText(t['board.locked']).first()).toBeVisible();
  await expectAccessible(page, 'a visitor\'s live board');
  expect(wasm, 'a visitor downloads no WebAssembly').toEqual([]);
});

test('without JavaScript: read the board and add a note', async ({ browser, server }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.__javaScript = false;
  await logIn(page, server, account('osc'), false);
  await openBoard(page, server);
  await questions(page).getByLabel(t['board.new_note']).fill('Nota enviada sin JavaScript');
  await questions(page).getByRole('button', { name: t['board.add'] }).click();
  await expect(questions(page).locator('.note .prose', { hasText: 'Nota enviada sin JavaScript' })).toBeVisible();
  await expectAccessible(page, 'board without JavaScript');
  await context.close();
});

test('a note and a dot made offline wait in the page and are sent once when the connection returns', async ({ browser, page, server }) => {
  await logIn(page, server, account('vecina'), true);
  const team = await (await browser.newContext()).newPage();
  await logIn(team, server, account('facilitadora'), true);
  for (const p of [page, team]) {
    await openBoard(p, server);
    await ready(p, true);
  }
  await team.getByLabel(label(t['vote.options'])).fill('Mapa de podas\nRiego');
  await team.getByLabel(label(t['vote.show_live'])).check();
  await team.getByRole('button', { name: t['vote.open'] }).click();
  const cast = (p) => p.getByRole('button', { name: `${t['vote.cast']}: Mapa de podas` });
  await expect(cast(page)).toBeEnabled();

  await page.context().setOffline(true);
  await questions(page).getByLabel(t['board.new_note']).fill('Escrita sin señal');
  await questions(page).getByRole('button', { name: t['board.add'] }).click();
  const waiting = questions(page).locator('.note.waiting', { hasText: 'Escrita sin señal' });
  await expect(waiting).toContainText(t['board.note_waiting']);
  await cast(page).click();
  await expect(page.locator('.vote-options li', { hasText: 'Mapa de podas' }))
    .toContainText(t['vote.waiting'].replace('{count}', '1'));
  await expect(page.getByText(t['board.outbox_waiting:other'].replace('{count}', '2'))).toBeVisible();
  await expectAccessible(page, 'board with writes waiting for the connection');
  const sent = (p) => questions(p).locator('.note:not(.waiting) .prose', { hasText: 'Escrita sin señal' });
  await expect(sent(team)).toHaveCount(0);

  await page.context().setOffline(false);
  for (const p of [page, team]) {
    await expect(sent(p)).toHaveCount(1);
  }
  await expect(waiting).toHaveCount(0);
  await expect(page.getByText(t['vote.left:other'].replace('{count}', '2'))).toBeVisible();
  await expect(team.locator('.vote-options li', { hasText: 'Mapa de podas' }))
    .toContainText(t['vote.dots:one'].replace('{count}', '1'));
  await expect(page.getByText(t['board.outbox_waiting:other'].replace('{count}', '2'))).toHaveCount(0);

  // Without JavaScript a dot is a plain form post.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  plain.__javaScript = false;
  await logIn(plain, server, account('osc'), false);
  await openBoard(plain, server);
  await cast(plain).click();
  await expect(plain.getByText(t['vote.left:other'].replace('{count}', '2'))).toBeVisible();
  await expectAccessible(plain, 'board with a dot cast without JavaScript');
  await context.close();
});
