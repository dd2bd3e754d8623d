/** One block of a script: a command line, its arguments, and the expected output. */
export interface Block {
  line: number;
  command: string;
  args: string[];
  raw: string;
  expected: string;
}

/**
 * The datadriven format (etcd's testdata/*.txt): a command line, a line
 * `----`, the expected output, and a blank line between blocks. Lines
 * starting with `#` between blocks are comments, kept on rewrite.
 */
export function parseScript(text: string): { blocks: Block[]; pieces: (string | Block)[] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const pieces: (string | Block)[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.trim() === '' || l.startsWith('#')) {
      pieces.push(l);
      i++;
      continue;
    }
    const raw = l;
    const [command, ...args] = l.trim().split(/\s+/);
    if (lines[i + 1] !== '----') throw new Error(`line ${i + 2}: expected ---- after "${l}"`);
    let j = i + 2;
    const out: string[] = [];
    while (j < lines.length && lines[j] !== '') out.push(lines[j++]!);
    const block = { line: i + 1, command: command!, args, raw, expected: out.join('\n') };
    blocks.push(block);
    pieces.push(block);
    i = j;
  }
  return { blocks, pieces };
}

export function renderScript(pieces: (string | Block)[], actual: Map<Block, string>): string {
  const out: string[] = [];
  for (const p of pieces) {
    if (typeof p === 'string') out.push(p);
    else {
      out.push(p.raw, '----');
      const a = actual.get(p) ?? p.expected;
      out.push(a === '' ? 'ok' : a);
    }
  }
  return out.join('\n');
}
