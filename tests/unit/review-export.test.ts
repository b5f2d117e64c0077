import { describe, expect, it } from 'vitest';
import { externalReferences, reviewHtmlFile } from '../../renderer/features/training/review-export';

/** A review as the window draws it: a table and a chart's SVG, as recharts writes it (namespaces and clip paths). */
const drawn = `<section><h3>Scores</h3><table><tr><th>Answer time</th><td data-met="true">1 of 1 in time; median 7 s, longest 7 s</td></tr></table>
<figure><figcaption>Answer time of each call</figcaption><div aria-hidden="true"><svg xmlns="http://www.w3.org/2000/svg" class="recharts-surface" width="560" height="220" viewBox="0 0 560 220"><defs><clipPath id="recharts1-clip"><rect x="36" y="5" height="165" width="519"></rect></clipPath></defs><g clip-path="url(#recharts1-clip)"><path d="M 40 100 h 20 v 70 h -20 Z" fill="#4db3ff"></path></g><text x="50" y="200">fri-fight</text></svg></div></figure></section>`;

describe('the review exported as one HTML file', () => {
  it('holds the figures and the charts as drawn, and reaches out to nothing', () => {
    const file = reviewHtmlFile({ title: 'After-action review: A busy Friday night', made: 'Exercise time 22:30 to 22:45', bodyHtml: drawn });
    expect(file).toContain('1 of 1 in time; median 7 s, longest 7 s');
    expect(file).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(file).toContain('<style>');
    expect(file).toMatch(/^<!doctype html>/);
    expect(externalReferences(file)).toEqual([]);
    expect(file).not.toMatch(/\s(src|href)\s*=\s*["']?https?:/i);
  });

  it('refuses to write a file that would fetch or run anything elsewhere', () => {
    const outside = [
      ['<img src="https://tiles.example/a.png">', 'src="https://tiles.example/a.png"'],
      ['<link rel="stylesheet" href="http://cdn.example/x.css">', 'href="http://cdn.example/x.css"'],
      ['<script>alert(1)</script>', 'a script'],
      ['<script src="app.js"></script>', 'a script'],
      ['<div style="background: url(https://example.org/b.png)"></div>', 'url(https://example.org/b.png)'],
      ["<svg><image xlink:href='//example.org/i.svg'/></svg>", 'xlink:href="//example.org/i.svg"'],
      ['<style>@import "x.css";</style>', 'a stylesheet @import'],
    ];
    for (const [body, named] of outside) {
      expect(externalReferences(body!)).toContain(named);
      expect(() => reviewHtmlFile({ title: 't', made: 'm', bodyHtml: body! })).toThrow(/would reach out to/);
    }
  });

  it("escapes the scenario's title, which the trainer wrote", () => {
    const file = reviewHtmlFile({ title: 'Review: <b>"night" & day</b>', made: 'm', bodyHtml: '' });
    expect(file).toContain('<title>TRAINING — Review: &lt;b&gt;&quot;night&quot; &amp; day&lt;/b&gt;</title>');
  });
});
