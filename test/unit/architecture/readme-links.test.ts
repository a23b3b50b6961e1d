import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every file a README points to is in the repository: markdown links (relative ones resolve from
 * the README's folder) and file paths written as code (`seeds/workloads/lab-retrieval.json`, from the
 * repository root). A fresh clone has nothing beside it, so nothing may point outside (`../…`).
 */

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const markdownFiles = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'],
  {
    cwd: root,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((file) => file && existsSync(path.join(root, file)));
const topLevel = new Set(
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .map((file) => file.split('/')[0]),
);

/** Output folders (bench/results/) are written when a command runs: git ignores them. */
function ignoredByGit(candidate: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '--quiet', candidate], { cwd: root });
    return true;
  } catch {
    return false;
  }
}

const inside = (target: string) => {
  const relative = path.relative(root, target);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
};

function problemsIn(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const problems: string[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  // Markdown links and images: [text](target "title"), outside code blocks.
  const prose = text.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, ' '));
  for (const match of prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const resolved = path.resolve(
      path.dirname(path.join(root, file)),
      decodeURIComponent(target.split('#')[0] ?? ''),
    );
    if (!inside(resolved))
      problems.push(`${file}:${lineOf(match.index)}: link ${target} points outside the repository`);
    else if (!existsSync(resolved))
      problems.push(`${file}:${lineOf(match.index)}: link ${target} names nothing`);
  }
  // Paths written as code: `dir/file` whose first segment is in the repository, or that climb out of it.
  for (const match of text.matchAll(/`([^`\s]+)`/g)) {
    const candidate = (match[1] ?? '').replace(/[.,:;]$/, '');
    if (!candidate.includes('/') || /[*<>{}$]|:\/\//.test(candidate) || candidate.startsWith('/')) continue;
    if (candidate.startsWith('../')) {
      problems.push(`${file}:${lineOf(match.index)}: ${candidate} is outside the repository`);
      continue;
    }
    const first = candidate.split('/')[0] ?? '';
    if (!topLevel.has(first)) {
      // A file that is not here: the design notes beside the project, say, that a clone lacks.
      const besideReadme = path.join(root, path.dirname(file), candidate);
      if (
        /\.(md|ts|js|json|ya?ml|graphql|sql)$/.test(candidate) &&
        !candidate.startsWith('…') &&
        !existsSync(besideReadme) &&
        !ignoredByGit(candidate)
      )
        problems.push(`${file}:${lineOf(match.index)}: ${candidate} is not in the repository`);
      continue;
    }
    if (!existsSync(path.join(root, candidate)) && !ignoredByGit(candidate))
      problems.push(`${file}:${lineOf(match.index)}: ${candidate} names nothing in the repository`);
  }
  return problems;
}

describe('README links', () => {
  it('finds the READMEs', () => {
    expect(markdownFiles).toEqual(expect.arrayContaining(['README.md', 'bot/README.md']));
  });

  it('every link and every file path in a README resolves inside the repository', () => {
    expect(markdownFiles.flatMap(problemsIn)).toEqual([]);
  });
});
