/**
 * Physical containment (units in cases in pallets) built from EPCIS events in
 * order, so that moving a container moves everything inside it (EPCIS 2.0
 * §7.4.3 AggregationEvent semantics):
 * - AggregationEvent ADD: every child is now inside the parent (a child that
 *   was inside another parent moves: it can only be in one place);
 * - AggregationEvent DELETE: the listed children leave the parent (no list:
 *   all of them); OBSERVE changes nothing;
 * - ObjectEvent DELETE (the object ceases to exist, e.g. decommissioned or
 *   destroyed): it leaves its parent and its own contents become loose.
 * Identifiers are compared by medchain's canonical unit key (`parseScan` of
 * `../gs1`: the canonical GS1 Digital Link), so EPC URNs and Digital Links of
 * the same object are one key; identifiers that are not GS1 keys are used as
 * written. Containment cycles are
 * refused with `InvalidEpcis` (rule `aggregation:cycle`). Pure, in memory.
 */
import { MedchainError } from "../../../kernel/errors.ts";
import { parseScan } from "../gs1/unitKey.ts";
import type { EpcisEvent } from "./types.ts";
import "../errors.ts";

/** The key an identifier is tracked under: medchain's canonical unit key, else the identifier itself. */
export function containmentKey(id: string): string {
  const trimmed = id.trim();
  try {
    return parseScan(trimmed, { associations: false }).key;
  } catch {
    return trimmed;
  }
}

/**
 * The identifiers an event names as physically handled (parentID first, then the listed EPCs), as keys, deduplicated.
 */
export function namedObjects(event: EpcisEvent): string[] {
  const ids: string[] = [];
  if (typeof event.parentID === "string") ids.push(event.parentID);
  for (const list of [event.epcList, event.childEPCs, event.inputEPCList, event.outputEPCList]) {
    if (Array.isArray(list)) ids.push(...list.filter((x): x is string => typeof x === "string"));
  }
  return [...new Set(ids.map(containmentKey))];
}

/** An in-memory containment tree (parent → children), applied event by event. */
export class ContainmentModel {
  readonly #parent = new Map<string, string>();
  readonly #children = new Map<string, Set<string>>();

  /** A deep copy (to apply events tentatively). */
  clone(): ContainmentModel {
    const copy = new ContainmentModel();
    for (const [child, parent] of this.#parent) copy.#attach(parent, child);
    return copy;
  }

  /** Every (child, parent) pair, to persist the model. */
  pairs(): Array<[child: string, parent: string]> {
    return [...this.#parent.entries()];
  }

  /** Rebuilds a model from persisted (child, parent) pairs. */
  static fromPairs(pairs: Iterable<readonly [string, string]>): ContainmentModel {
    const m = new ContainmentModel();
    for (const [child, parent] of pairs) m.#attach(parent, child);
    return m;
  }

  /** The container directly holding `id`, if any. */
  parentOf(id: string): string | undefined {
    return this.#parent.get(containmentKey(id));
  }

  /** What `id` directly contains (insertion order). */
  childrenOf(id: string): string[] {
    return [...(this.#children.get(containmentKey(id)) ?? [])];
  }

  /** Everything inside `id`, transitively (pallet → cases → units), breadth first. */
  contentsOf(id: string): string[] {
    const out: string[] = [];
    const queue = [containmentKey(id)];
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      for (const c of this.#children.get(queue[i] as string) ?? []) {
        if (seen.has(c)) continue;
        seen.add(c);
        out.push(c);
        queue.push(c);
      }
    }
    return out;
  }

  /** The innermost objects inside `id` (contents that contain nothing themselves). */
  unitsIn(id: string): string[] {
    return this.contentsOf(id).filter((c) => (this.#children.get(c)?.size ?? 0) === 0);
  }

  /** The outermost container of `id` (itself when loose). */
  outermostOf(id: string): string {
    let key = containmentKey(id);
    for (let p = this.#parent.get(key); p !== undefined; p = this.#parent.get(key)) key = p;
    return key;
  }

  /** Every object an event physically moves: the objects it names and everything inside them. */
  movedBy(event: EpcisEvent): string[] {
    const out = new Set<string>();
    for (const id of namedObjects(event)) {
      out.add(id);
      for (const c of this.contentsOf(id)) out.add(c);
    }
    return [...out];
  }

  /**
   * The innermost units an event physically moves (named objects that contain nothing, and the units inside the
   * others).
   */
  unitsMovedBy(event: EpcisEvent): string[] {
    return this.movedBy(event).filter((id) => (this.#children.get(id)?.size ?? 0) === 0);
  }

  #attach(parent: string, child: string): void {
    this.#detach(child);
    this.#parent.set(child, parent);
    let set = this.#children.get(parent);
    if (set === undefined) this.#children.set(parent, (set = new Set()));
    set.add(child);
  }

  #detach(child: string): void {
    const parent = this.#parent.get(child);
    if (parent === undefined) return;
    this.#parent.delete(child);
    const set = this.#children.get(parent);
    set?.delete(child);
    if (set?.size === 0) this.#children.delete(parent);
  }

  /** Applies one event's containment changes (see the module comment). `index` only labels errors. */
  apply(event: EpcisEvent, index: number | null = null): void {
    if (event.type === "AggregationEvent") {
      const parent = typeof event.parentID === "string" ? containmentKey(event.parentID) : undefined;
      const children = (event.childEPCs ?? []).map(containmentKey);
      if (event.action === "ADD" && parent !== undefined) {
        for (const child of children) {
          if (child === parent || this.contentsOf(child).includes(parent)) {
            throw new MedchainError("InvalidEpcis", "aggregation would put a container inside itself", {
              details: { event: index, path: "/childEPCs", rule: "aggregation:cycle", count: 1 },
            });
          }
          this.#attach(parent, child);
        }
      } else if (event.action === "DELETE" && parent !== undefined) {
        const leaving = children.length > 0 ? children : this.childrenOf(parent);
        for (const child of leaving) if (this.#parent.get(child) === parent) this.#detach(child);
      }
    } else if (event.type === "ObjectEvent" && event.action === "DELETE") {
      for (const id of namedObjects(event)) {
        this.#detach(id);
        for (const c of this.childrenOf(id)) this.#detach(c);
      }
    }
  }
}

/** What one event physically moved, in the containment in force when it happened. */
export interface EventMove {
  /** Every object moved: the objects the event names and everything inside them. */
  moved: string[];
  /** The innermost units among them. */
  units: string[];
}

/** Result of {@link replayContainment}. */
export interface ContainmentReplay {
  /** The containment after every event. */
  model: ContainmentModel;
  /** Per event, in order: what it physically moved. */
  moves: EventMove[];
}

/**
 * Replays events in order onto a copy of `start` (default: empty) and records
 * what each one physically moves (for packing, the new container with what
 * it now holds; for anything else, the containment just before the event).
 * Atomic: on error `start` is untouched.
 */
export function replayContainment(
  events: readonly EpcisEvent[],
  start: ContainmentModel = new ContainmentModel(),
): ContainmentReplay {
  const model = start.clone();
  const moves = events.map((e, i): EventMove => {
    // Packing is seen after the fact (the new container holds what was packed); anything else as it was.
    const packing = e.type === "AggregationEvent" && e.action === "ADD";
    if (packing) model.apply(e, i);
    const move = { moved: model.movedBy(e), units: model.unitsMovedBy(e) };
    if (!packing) model.apply(e, i);
    return move;
  });
  return { model, moves };
}
