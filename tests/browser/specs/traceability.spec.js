// Traceability and the co-creation report on the demo: a resident follows a
// proposal to the commitment it fed and back to where that sheet came from,
// then reads the process's report, downloads it and prints it. With and without
// JavaScript; axe on every page visited.
const { test, expect, expectAccessible, ready } = require('../support');
const t = require('../../../app/locales/es-AR.json');
const demo = require('../../../seeds/demo.json');
const slug = demo.processes[0].slug;
const commitment = demo.commitments.find((c) => c.final);
const roundtable = demo.roundtables.find((r) => r.title === commitment.roundtable);
const proposal = roundtable.proposals[0];

for (const js of [true, false]) {
  test.describe(`JavaScript ${js ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled: js });

    test('a proposal leads to its commitment and the commitment back to its origin', async ({ page, server }) => {
      await page.goto(server.url + '/processes/' + slug + '/proposals');
      await ready(page, js);
      await page.getByRole('link', { name: proposal }).click();
      await ready(page, js);
      const trail = page.getByRole('region', { name: t['trajectory.where_now'] });
      await expect(trail).toContainText(roundtable.title);
      await expect(trail).toContainText(commitment.code);
      await expect(trail.locator('progress')).toHaveCount(1);
      await expectAccessible(page, 'proposal with its path');

      await trail.getByRole('link', { name: t['trajectory.link'] }).click();
      await ready(page, js);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(proposal);
      const steps = page.locator('ol.timeline li');
      await expect(steps.filter({ hasText: t['proposal.event.submitted'] })).toHaveCount(1);
      await expect(steps.filter({ hasText: roundtable.title }).first()).toBeVisible();
      await expect(steps.filter({ hasText: t['trajectory.final'] })).toHaveCount(1);
      await expectAccessible(page, 'trajectory');

      await page.getByRole('region', { name: t['trajectory.where_now'] })
        .getByRole('link', { name: new RegExp(commitment.code) }).click();
      await ready(page, js);
      const origin = page.getByRole('region', { name: t['commitment.origin'] });
      await expect(origin).toContainText(roundtable.title);
      await expect(origin.getByRole('link', { name: proposal })).toBeVisible();
      await expect(origin.getByRole('heading', { name: t['origin.board_notes'] })).toBeVisible();
      await expectAccessible(page, 'commitment with its origin');
    });

    test('the co-creation report answers the plan\'s questions, downloads and prints', async ({ page, server }) => {
      await page.goto(server.url + '/processes/' + slug);
      await ready(page, js);
      await page.getByRole('link', { name: t['cocreation.open'] }).click();
      await ready(page, js);
      const questions = page.getByRole('region', { name: t['cocreation.questions'] });
      await expect(questions).toContainText(t['cocreation.q.groups']);
      await expect(questions).toContainText(t['cocreation.q.meetings']);
      for (const e of demo.endorsements) {
        await expect(questions).toContainText(e.organization);
      }
      await expect(page.getByRole('table', { name: t['cocreation.by_axis'] })).toBeVisible();
      await expectAccessible(page, 'report');

      const csv = await page.request.get(server.url + '/processes/' + slug + '/report.csv');
      expect(csv.ok()).toBe(true);
      expect(await csv.text()).toContain(t['cocreation.q.groups']);

      // Printed: the downloads go, the figures stay, and it makes a PDF.
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('.downloads')).toBeHidden();
      await expect(questions).toBeVisible();
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      expect(pdf.length).toBeGreaterThan(5000);
    });
  });
}
