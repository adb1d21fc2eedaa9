// A resident reports a comment; a facilitator hides it from the moderation
// queue, and everyone then sees a placeholder. Without JavaScript: every step is a form.
const { test, expect, expectAccessible, ready, label, logIn } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const account = (prefix) => demo.accounts.find((a) => a.email.startsWith(prefix));

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('report a comment, hide it, see the placeholder', async ({ browser, page, server }) => {
      const proposal = demo.proposals[0].title;
      // An organization representative comments on a proposal.
      await logIn(page, server, account('osc'), js);
      await page.goto(server.url + '/processes/' + demo.processes[0].slug + '/proposals');
      await page.getByRole('link', { name: proposal }).click();
      await page.getByLabel(label(t['comments.new'])).fill('Texto fuera de lugar 123');
      await page.getByRole('button', { name: t['comments.publish'] }).click();
      await expect(page.getByText('Texto fuera de lugar 123')).toBeVisible();
      await page.getByRole('button', { name: t['nav.logout'] }).click();

      // A resident reports it.
      await logIn(page, server, account('vecina'), js);
      await page.goto(server.url + '/processes/' + demo.processes[0].slug + '/proposals');
      await page.getByRole('link', { name: proposal }).click();
      const comment = page.locator('.comment').filter({ hasText: 'Texto fuera de lugar 123' });
      await comment.locator('summary', { hasText: t['report.open'] }).click();
      await comment.getByLabel(t['report.reason']).selectOption('off_topic');
      await comment.getByRole('button', { name: t['report.send'] }).click();
      await expect(page.getByText(t['report.done'])).toBeVisible();
      await page.getByRole('button', { name: t['nav.logout'] }).click();

      // The facilitator hides it from the queue.
      await logIn(page, server, account('facilitadora'), js);
      await page.getByRole('link', { name: t['nav.moderation'] }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(t['moderation.title']);
      await expect(page.getByText('Texto fuera de lugar 123')).toBeVisible();
      await expectAccessible(page, 'moderation queue');
      await page.getByRole('button', { name: t['moderation.hide'] }).click();
      await expect(page.getByText(t['moderation.empty'])).toBeVisible();

      await page.goto(server.url + '/processes/' + demo.processes[0].slug + '/proposals');
      await page.getByRole('link', { name: proposal }).click();
      await expect(page.getByText(t['comments.hidden'])).toBeVisible();
      await expect(page.getByText('Texto fuera de lugar 123')).toHaveCount(0);
      await expectAccessible(page, 'proposal with a hidden comment');
    });
  });
}
