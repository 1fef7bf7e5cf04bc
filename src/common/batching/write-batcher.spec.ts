import { WriteBatcher } from './write-batcher';

describe('WriteBatcher', () => {
  it('joins the items submitted in one turn into calls of at most maxBatch, answering each its own result', async () => {
    const calls: number[][] = [];
    const batcher = new WriteBatcher<number, string>(async (items) => {
      calls.push(items);
      return items.map((n) => `row ${n}`);
    }, 3);
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    expect(answers).toEqual(['row 1', 'row 2', 'row 3', 'row 4', 'row 5']);
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    await batcher.submit(6);
    expect(calls[2]).toEqual([6]);
  });

  it('writes the items of a failed call alone, so only the bad item fails', async () => {
    const calls: number[][] = [];
    const batcher = new WriteBatcher<number, number>(async (items) => {
      calls.push(items);
      if (items.includes(2)) throw new Error(`item 2 refused (batch of ${items.length})`);
      return items.map((n) => n * 10);
    }, 10);
    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('item 2 refused (batch of 1)') },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
