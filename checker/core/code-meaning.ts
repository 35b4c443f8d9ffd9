/**
 * A source file as `npm run diff` compares it by default: what the code says, not how it is
 * written. Comments go (the TypeScript printer drops them), the layout is prettier's, quotes
 * are single, and blank lines are left out; JSON is compared by value. Two files a reviewer
 * would call the same solution come out equal; `npm run diff -- --exact` compares the bytes.
 */
import prettier from 'prettier';
import ts from 'typescript';

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

export async function codeMeaning(path: string, text: string): Promise<string> {
  if (CODE.test(path)) {
    const source = ts.createSourceFile(
      path,
      text,
      ts.ScriptTarget.Latest,
      false,
      path.endsWith('.js') || path.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
    );
    // A file that does not parse is compared as written: its errors are the difference to see.
    if ((source as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) return plain(text);
    const printed = ts.createPrinter({ removeComments: true }).printFile(source);
    try {
      return withoutBlankLines(
        await prettier.format(printed, {
          parser: 'typescript',
          singleQuote: true,
          printWidth: 100,
          trailingComma: 'all',
        }),
      );
    } catch {
      return withoutBlankLines(printed);
    }
  }
  if (path.endsWith('.json')) {
    try {
      return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
    } catch {
      return plain(text);
    }
  }
  return plain(text);
}

const withoutBlankLines = (text: string) =>
  `${text
    .split('\n')
    .filter((l) => l.trim())
    .join('\n')}\n`;
const plain = (text: string) => text.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '');
