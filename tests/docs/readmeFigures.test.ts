import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../../src/paths';

/*
 * Every figure the README quotes comes from a committed results file.
 *
 * The rule: measured figures sit between `<!-- figures: docs/results/<file> ... -->`
 * and `<!-- /figures -->` (HTML comments, invisible when rendered). Every number in
 * such a span, outside code, must be found in one of the files the span names,
 * at the precision the README shows it: 6.1 s matches 6143 (ms) or 6.1, 24 GB
 * matches 23.5, 0.81 matches 0.8108. The sections that report measurements
 * (faults, group protocols, benchmarks) may hold no number outside such a span,
 * so a figure added later without a file fails here. Numbers that are not
 * measurements (ports, versions, option values) go in `code`.
 * Limitation: a small integer (0, 1, 3) is found in almost any file; what the
 * rule guarantees for those is only that the span names its source.
 */
const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const resultsDir = path.join(projectRoot, 'docs', 'results');
const measuredSections = [
  '## Faults: what Kafka does when things break',
  '## Group protocols side by side',
  '## Benchmarks',
];

/**
 * What a reader sees as text and output: without code blocks (except ```text output), inline
 * code, images, link targets, HTML comments, and versions of the tools (Kafka 4.1.1, Java 17).
 */
function prose(markdown: string): string {
  return markdown
    .replace(/```text\n([\s\S]*?)```/g, '$1')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\b(Kafka|Java|Node(?:\.js)?|Python|Maven|KIP)[ -]\d[\d.+]*/g, ' ');
}

/** Numbers as a reader sees them: 4,640 / 0.72 / 1,324; not parts of names or addresses (p95, consumer-1, 127.0.0.1:9092, 4-byte). */
export function figuresIn(text: string): string[] {
  return [...prose(text).matchAll(/(?<![\w.:-])\d[\d,]*(?:\.\d+)?(?![\w]|\.\d|-\w|:\d)/g)]
    .map((m) => m[0].replace(/,$/, ''))
    .filter((n) => /\d$/.test(n));
}

/** Every number in a results file: JSON numbers and the numbers inside its strings (or its Markdown text). */
function numbersOf(file: string): number[] {
  const text = fs.readFileSync(file, 'utf8');
  const fromText = [...text.replace(/(\d),(\d{3})/g, '$1$2').matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  return fromText;
}

/** Found at the README's precision, as is, as ms shown in s, or as a fraction shown in %. */
export function matches(shown: string, values: readonly number[]): boolean {
  const n = Number(shown.replace(/,/g, ''));
  const decimals = shown.includes('.') ? shown.split('.')[1].length : 0;
  const tolerance = 0.5 * 10 ** -decimals + 1e-9;
  return values.some((v) => [v, v / 1000, v * 100].some((scaled) => Math.abs(scaled - n) <= tolerance));
}

interface Span {
  files: string[];
  text: string;
  line: number;
}

function spans(markdown: string): Span[] {
  const found: Span[] = [];
  const pattern = /<!-- figures: ([^>]*?) -->([\s\S]*?)<!-- \/figures -->/g;
  for (const match of markdown.matchAll(pattern)) {
    found.push({
      files: match[1].trim().split(/\s+/),
      text: match[2],
      line: markdown.slice(0, match.index).split('\n').length,
    });
  }
  return found;
}

test('the rule finds figures as a reader reads them', () => {
  assert.deepEqual(
    figuresIn(
      'eager moved 44 partitions (p95 205 ms, KIP-848, Kafka 4.1.1, 4,640 messages, 0.72 s / 1,324 MB, `--rows 5000`)',
    ),
    ['44', '205', '4,640', '0.72', '1,324'],
  );
  assert.ok(matches('6.1', [6143]) && matches('24', [23.5]) && matches('0.81', [0.8108]) && matches('45', [0.449]));
  assert.ok(!matches('6.2', [6143]) && !matches('44', [36]));
});

test('every figures span names committed results files that record their command and date', () => {
  const all = spans(readme);
  assert.ok(all.length >= 5, `only ${all.length} figures spans in README.md`);
  for (const span of all) {
    for (const file of span.files) {
      const full = path.join(projectRoot, file);
      assert.ok(
        file.startsWith('docs/results/') && fs.existsSync(full),
        `README line ${span.line}: ${file} is not a file under docs/results/`,
      );
      const text = fs.readFileSync(full, 'utf8');
      if (file.endsWith('.json')) {
        const record = JSON.parse(text) as { command?: string; date?: string };
        assert.ok(
          record.command && record.date,
          `${file} must say which command produced it and when ("command", "date")`,
        );
      } else {
        assert.match(text, /\d{4}-\d{2}-\d{2}/, `${file} must carry the date it was produced`);
        assert.match(text, /`(npm run [\w:-]+|npx kafka-lab [^`]+)/, `${file} must name the command that produced it`);
      }
    }
  }
});

test("every figure in a span is found in that span's results files", () => {
  const missing: string[] = [];
  for (const span of spans(readme)) {
    const values = span.files.flatMap((file) => numbersOf(path.join(projectRoot, file)));
    for (const figure of figuresIn(span.text))
      if (!matches(figure, values))
        missing.push(`README line ${span.line}: ${figure} (not in ${span.files.join(', ')})`);
  }
  assert.deepEqual(missing, []);
});

test('the sections that report measurements hold no figure outside a figures span', () => {
  for (const heading of measuredSections) {
    const start = readme.indexOf(`${heading}\n`);
    assert.ok(start >= 0, `README has no section "${heading}"`);
    const next = readme.indexOf('\n## ', start + heading.length);
    const section = readme.slice(start + heading.length, next < 0 ? undefined : next);
    const outside = section.replace(/<!-- figures: [^>]*? -->[\s\S]*?<!-- \/figures -->/g, ' ');
    assert.deepEqual(
      figuresIn(outside),
      [],
      `${heading}: numbers outside a figures span (put them in one, with their results file, or in \`code\` if they are not measurements)`,
    );
  }
});

test('every results file under docs/results is quoted by the README', () => {
  const quoted = new Set(spans(readme).flatMap((span) => span.files));
  const unused = fs
    .readdirSync(resultsDir)
    .map((f) => `docs/results/${f}`)
    .filter((f) => !quoted.has(f) && f !== 'docs/results/README.md');
  assert.deepEqual(unused, [], 'results files no README span names (quote them or delete them)');
});
