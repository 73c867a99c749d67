import { replaceTablesBlock, TABLES_END, TABLES_START } from './protocol-tables';

describe('replaceTablesBlock', () => {
  it('replaces exactly the marked block and keeps the rest of the document', () => {
    const doc = `# Title\n\nbefore\n${TABLES_START}\nold table\n${TABLES_END}\nafter\n`;
    expect(replaceTablesBlock(doc, `${TABLES_START}\nnew\n${TABLES_END}`)).toBe(`# Title\n\nbefore\n${TABLES_START}\nnew\n${TABLES_END}\nafter\n`);
  });

  it('refuses a document without the markers', () => {
    expect(() => replaceTablesBlock('# no block', 'x')).toThrow(/no <!-- eval:tables:start -->/);
  });
});
