/** At most this many trie nodes are kept; past it, recording stops (`truncated`). */
const MAX_NODES = 1 << 22;

/**
 * Per operation, the longest partial linearization that contains it (porcupine's verbose mode):
 * at every backtrack, each operation on the search stack is credited with the stack as a prefix
 * when that is longer than what it had. Prefixes share storage as a trie of (operation, parent)
 * nodes, so an operation's prefix is one node id.
 *
 * To avoid rescanning the whole stack at every backtrack, `levels` records guarantees: every stack
 * position below `levelK[j]` holds an operation already credited with at least `levelV[j]`
 * (k increasing, v decreasing along the list). A backtrack at depth d only scans the positions
 * above the deepest guarantee of at least d.
 */
export class PartialRecorder {
  /** Length of the longest prefix credited to each (local) operation; 0 when none. */
  readonly longestLen: Int32Array;
  /** Trie node ending that prefix, or -1. */
  readonly longestNode: Int32Array;
  nodeOp: Int32Array = new Int32Array(1024);
  nodeParent: Int32Array = new Int32Array(1024);
  nodes = 0;
  truncated = false;
  private readonly stackNode: Int32Array;
  private nodesValid = 0;
  private readonly levelK: number[] = [];
  private readonly levelV: number[] = [];

  constructor(n: number) {
    this.longestLen = new Int32Array(n);
    this.longestNode = new Int32Array(n).fill(-1);
    this.stackNode = new Int32Array(n);
  }

  /** Called at a backtrack with the stack of depth `depth` (entries of linearized calls). */
  backtrack(stackEntry: Int32Array, opOf: Int32Array, depth: number): void {
    if (depth === 0 || this.truncated) return;
    const { levelK, levelV, longestLen, longestNode } = this;
    let from = 0;
    for (let j = levelK.length - 1; j >= 0; j--) {
      if (levelV[j]! >= depth) {
        from = Math.min(levelK[j]!, depth);
        break;
      }
    }
    let node = -1;
    for (let i = from; i < depth; i++) {
      const op = opOf[stackEntry[i]!]!;
      if (longestLen[op]! >= depth) continue;
      if (node === -1) {
        node = this.ensureNodes(stackEntry, opOf, depth);
        if (node === -1) return;
      }
      longestLen[op] = depth;
      longestNode[op] = node;
    }
    while (levelV.length > 0 && levelV[levelV.length - 1]! <= depth) {
      levelV.pop();
      levelK.pop();
    }
    if (levelK.length === 0 || levelK[levelK.length - 1]! < depth) {
      levelK.push(depth);
      levelV.push(depth);
    }
  }

  /** Called when the stack shrinks to `depth`. */
  pop(depth: number): void {
    if (this.nodesValid > depth) this.nodesValid = depth;
    const { levelK, levelV } = this;
    // Positions below `depth` are unchanged: truncate the guarantees to it. A level whose lower
    // neighbour reaches `depth` too is dominated by it (that one has the larger guarantee).
    while (levelK.length > 0 && levelK[levelK.length - 1]! > depth) {
      const v = levelV.pop()!;
      levelK.pop();
      if (levelK.length === 0 || levelK[levelK.length - 1]! < depth) {
        levelK.push(depth);
        levelV.push(v);
        break;
      }
    }
  }

  /** Makes trie nodes for the stack positions that lack them; returns the node at depth-1. */
  private ensureNodes(stackEntry: Int32Array, opOf: Int32Array, depth: number): number {
    for (let i = this.nodesValid; i < depth; i++) {
      if (this.nodes >= MAX_NODES) {
        this.truncated = true;
        return -1;
      }
      if (this.nodes === this.nodeOp.length) {
        const op = new Int32Array(this.nodes * 2);
        op.set(this.nodeOp);
        const parent = new Int32Array(this.nodes * 2);
        parent.set(this.nodeParent);
        this.nodeOp = op;
        this.nodeParent = parent;
      }
      const id = this.nodes++;
      this.nodeOp[id] = opOf[stackEntry[i]!]!;
      this.nodeParent[id] = i === 0 ? -1 : this.stackNode[i - 1]!;
      this.stackNode[i] = id;
    }
    if (this.nodesValid < depth) this.nodesValid = depth;
    return this.stackNode[depth - 1]!;
  }
}
