import type { BoundaryGeometry, Position } from './tenancy.types.js';

/**
 * Which municipality a point lies in: ray casting over each polygon's rings (the outer ring
 * counts in, holes count out), even–odd across a MultiPolygon's polygons. Pure. Positions are
 * GeoJSON's `[longitude, latitude]`.
 */

/** True when the point lies inside the ring (even–odd rule; points on an edge may go either way). */
export function insideRing(
  longitude: number,
  latitude: number,
  ring: readonly Position[],
): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (
      yi > latitude !== yj > latitude &&
      longitude < ((xj - xi) * (latitude - yi)) / (yj - yi) + xi
    ) {
      inside = !inside;
    }
  }
  return inside;
}

/** True when the point lies inside the geometry: in an outer ring and in none of its holes. */
export function insideBoundary(
  longitude: number,
  latitude: number,
  geometry: BoundaryGeometry,
): boolean {
  return polygonsOf(geometry).some(
    ([outer, ...holes]) =>
      outer !== undefined &&
      insideRing(longitude, latitude, outer) &&
      !holes.some((hole) => insideRing(longitude, latitude, hole)),
  );
}

/** One municipality's boundary, as the routing index takes it. */
export interface RoutedBoundary {
  id: string;
  slug: string;
  boundary: BoundaryGeometry;
}

/** About how many grid cells an index has (its memory: a few bytes a cell). */
export const DEFAULT_INDEX_CELLS = 1 << 18;
/** Positions this close to a cell are taken as touching it, so rounding never misfiles a cell. */
const TOUCH_MARGIN_DEGREES = 1e-9;

/**
 * A spatial index over a set of boundaries that answers what a scan of `insideBoundary` over
 * them (in their order) answers, without ray casting for most points. A grid over the set's box
 * is laid so it has about `targetCells` cells; for each municipality, each cell of its box is
 * *mixed* (an edge of the boundary touches it: the point is tested, against the edges of its
 * row only, see RowEdges), *inside* (the whole cell is inside: the answer without a test) or
 * outside (not listed). A cell not touched by any edge lies wholly on one side, so its centre
 * decides, found by counting edge crossings along each row of centres — the same crossings
 * `insideRing` counts. Pure.
 */
export class RoutingIndex<T extends RoutedBoundary = RoutedBoundary> {
  private readonly west: number;
  private readonly south: number;
  private readonly cellWidth: number;
  private readonly cellHeight: number;
  private readonly columns: number;
  private readonly rows: number;
  /** Cell c's entries are entries[start[c] .. start[c + 1]): municipality × 2 (+1 when mixed). */
  private readonly start: Uint32Array;
  private readonly entries: Int32Array;
  /** Per boundary, its edges by row of cells (undefined: tested whole, see RowEdges.build). */
  private readonly tables: (RowEdges | undefined)[] = [];

  constructor(
    readonly boundaries: readonly T[],
    targetCells = DEFAULT_INDEX_CELLS,
  ) {
    const boxes = boundaries.map((b) => boundaryBox(b.boundary));
    const west = Math.min(...boxes.map((b) => b[0]));
    const south = Math.min(...boxes.map((b) => b[1]));
    const east = Math.max(...boxes.map((b) => b[2]));
    const north = Math.max(...boxes.map((b) => b[3]));
    const width = Math.max(east - west, 1e-6);
    const height = Math.max(north - south, 1e-6);
    const side = Math.sqrt((width * height) / Math.max(1, targetCells));
    this.west = west;
    this.south = south;
    this.columns = boundaries.length === 0 ? 0 : Math.max(1, Math.ceil(width / side));
    this.rows = boundaries.length === 0 ? 0 : Math.max(1, Math.ceil(height / side));
    this.cellWidth = width / Math.max(1, this.columns);
    this.cellHeight = height / Math.max(1, this.rows);

    // Each municipality marks the cells of its box in a scratch grid (1 mixed, 2 inside), then
    // lists them as (cell, entry) pairs and clears them; pairs come in the scan's order.
    const cellCount = this.columns * this.rows;
    const scratch = new Uint8Array(cellCount);
    let pairCells = new Int32Array(1 << 16);
    let pairEntries = new Int32Array(1 << 16);
    let pairs = 0;
    for (const [m, item] of boundaries.entries()) {
      const [firstRow, lastRow, firstColumn, lastColumn] = this.classify(
        m,
        item.boundary,
        boxes[m]!,
        scratch,
      );
      for (let row = firstRow; row <= lastRow; row++) {
        for (let column = firstColumn; column <= lastColumn; column++) {
          const cell = row * this.columns + column;
          const state = scratch[cell]!;
          if (state === 0) continue;
          scratch[cell] = 0;
          if (pairs === pairCells.length) {
            pairCells = grow(pairCells);
            pairEntries = grow(pairEntries);
          }
          pairCells[pairs] = cell;
          pairEntries[pairs] = m * 2 + (state === 1 ? 1 : 0);
          pairs++;
        }
      }
    }
    // A counting sort by cell; stable, so each cell's entries stay in the scan's order.
    this.start = new Uint32Array(cellCount + 1);
    for (let k = 0; k < pairs; k++) this.start[pairCells[k]! + 1]!++;
    for (let cell = 0; cell < cellCount; cell++) this.start[cell + 1]! += this.start[cell]!;
    const next = this.start.slice(0, cellCount);
    this.entries = new Int32Array(pairs);
    for (let k = 0; k < pairs; k++) this.entries[next[pairCells[k]!]!++] = pairEntries[k]!;
  }

  /** The first boundary (in the given order) that holds the point, or undefined: as a scan. */
  find(longitude: number, latitude: number): T | undefined {
    const column = Math.floor((longitude - this.west) / this.cellWidth);
    const row = Math.floor((latitude - this.south) / this.cellHeight);
    if (!(column >= 0 && column < this.columns && row >= 0 && row < this.rows)) {
      return this.outsideGrid(longitude, latitude);
    }
    const cell = row * this.columns + column;
    for (let k = this.start[cell]!; k < this.start[cell + 1]!; k++) {
      const entry = this.entries[k]!;
      const item = this.boundaries[entry >> 1]!;
      if ((entry & 1) === 0) return item;
      const table = this.tables[entry >> 1];
      const inside = table
        ? table.contains(row, longitude, latitude)
        : insideBoundary(longitude, latitude, item.boundary);
      if (inside) return item;
    }
    return undefined;
  }

  /** How the index is laid out, for the benchmark and the docs. */
  stats(): { columns: number; rows: number; entries: number; testedWhole: number } {
    return {
      columns: this.columns,
      rows: this.rows,
      entries: this.entries.length,
      testedWhole: this.boundaries.length - this.tables.filter(Boolean).length,
    };
  }

  /**
   * A point on the grid's east or north edge (a cell floors past it) may still be on a
   * boundary's edge: it is tested the slow way, as are the rest of the points outside, which
   * no boundary holds unless the edge is exactly the box's.
   */
  private outsideGrid(longitude: number, latitude: number): T | undefined {
    const east = this.west + this.columns * this.cellWidth;
    const north = this.south + this.rows * this.cellHeight;
    if (longitude < this.west || latitude < this.south || longitude > east || latitude > north) {
      return undefined;
    }
    return this.boundaries.find((b) => insideBoundary(longitude, latitude, b.boundary));
  }

  /**
   * Marks in `scratch` each cell of the box that the boundary touches (1) or wholly holds (2);
   * answers the rows and columns it may have marked, margin included.
   */
  private classify(
    m: number,
    geometry: BoundaryGeometry,
    box: [number, number, number, number],
    scratch: Uint8Array,
  ): [number, number, number, number] {
    const columnOf = (x: number) =>
      Math.min(this.columns - 1, Math.max(0, Math.floor((x - this.west) / this.cellWidth)));
    const rowOf = (y: number) =>
      Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.south) / this.cellHeight)));
    const polygons = polygonsOf(geometry);

    // Mixed: every cell an edge passes through (with a margin against rounding).
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          this.markEdge(ring[i]!, ring[i + 1]!, columnOf, rowOf, scratch);
        }
      }
    }

    const table = RowEdges.build(
      polygons,
      rowOf(box[1] - TOUCH_MARGIN_DEGREES),
      rowOf(box[3] + TOUCH_MARGIN_DEGREES),
      rowOf,
    );
    this.tables[m] = table;

    // The rest of the box: by the crossings on the row's centre line, per ring.
    const firstRow = rowOf(box[1]);
    const lastRow = rowOf(box[3]);
    const firstColumn = columnOf(box[0]);
    const lastColumn = columnOf(box[2]);
    for (let row = firstRow; row <= lastRow; row++) {
      const y = this.south + (row + 0.5) * this.cellHeight;
      const crossings = table
        ? table.crossings(row, y)
        : polygons.map((polygon) => polygon.map((ring) => crossingsAt(ring, y)));
      for (let column = firstColumn; column <= lastColumn; column++) {
        const cell = row * this.columns + column;
        if (scratch[cell] !== 0) continue;
        const x = this.west + (column + 0.5) * this.cellWidth;
        const inside = crossings.some(
          ([outer, ...holes]) =>
            outer !== undefined &&
            oddRightOf(outer, x) &&
            !holes.some((hole) => oddRightOf(hole, x)),
        );
        if (inside) scratch[cell] = 2;
      }
    }
    return [
      rowOf(box[1] - TOUCH_MARGIN_DEGREES),
      rowOf(box[3] + TOUCH_MARGIN_DEGREES),
      columnOf(box[0] - 2 * TOUCH_MARGIN_DEGREES),
      columnOf(box[2] + 2 * TOUCH_MARGIN_DEGREES),
    ];
  }

  private markEdge(
    a: Position,
    b: Position,
    columnOf: (x: number) => number,
    rowOf: (y: number) => number,
    scratch: Uint8Array,
  ) {
    const [x1, y1] = a;
    const [x2, y2] = b;
    const bottom = Math.min(y1, y2) - TOUCH_MARGIN_DEGREES;
    const top = Math.max(y1, y2) + TOUCH_MARGIN_DEGREES;
    for (let row = rowOf(bottom); row <= rowOf(top); row++) {
      // The part of the edge within this row's band of latitudes.
      const low = Math.max(bottom, this.south + row * this.cellHeight);
      const high = Math.min(top, this.south + (row + 1) * this.cellHeight);
      let left: number;
      let right: number;
      if (y1 === y2) {
        left = Math.min(x1, x2);
        right = Math.max(x1, x2);
      } else {
        const xAt = (y: number) =>
          x1 +
          ((x2 - x1) * (Math.min(Math.max(y, Math.min(y1, y2)), Math.max(y1, y2)) - y1)) /
            (y2 - y1);
        left = Math.min(xAt(low), xAt(high));
        right = Math.max(xAt(low), xAt(high));
      }
      const from = columnOf(left - TOUCH_MARGIN_DEGREES);
      const to = columnOf(right + TOUCH_MARGIN_DEGREES);
      for (let column = from; column <= to; column++) scratch[row * this.columns + column] = 1;
    }
  }
}

/** The array twice as long, with the same start. */
function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** A boundary whose row table would list its edges more often than this on average is tested whole. */
const MAX_ROW_ENTRIES_PER_EDGE = 16;
const NO_CROSSINGS = new Float64Array(0);

/**
 * One boundary's edges sorted into the grid's rows of cells: each edge is listed in every row
 * its latitudes reach (with the margin). insideRing's test at a latitude counts only the edges
 * that span it, so running the very same test over a row's edges gives its exact answer, with a
 * handful of edges instead of the whole outline. Entries of a row are grouped by ring, in the
 * geometry's order.
 */
class RowEdges {
  private constructor(
    private readonly firstRow: number,
    private readonly rowStart: Uint32Array,
    private readonly ringOf: Uint32Array,
    /** xi, yi, xj, yj per entry: i the position, j the one before, as insideRing pairs them. */
    private readonly coords: Float64Array,
    private readonly ringPolygon: Uint32Array,
    private readonly ringIndex: Uint32Array,
    private readonly ringsPerPolygon: number[],
  ) {}

  /** The table, or undefined when it would be too large (a comb of long teeth). */
  static build(
    polygons: readonly (readonly (readonly Position[])[])[],
    firstRow: number,
    lastRow: number,
    rowOf: (y: number) => number,
  ): RowEdges | undefined {
    const rowCount = lastRow - firstRow + 1;
    const ringPolygon: number[] = [];
    const ringIndex: number[] = [];
    for (const [p, polygon] of polygons.entries()) {
      for (let r = 0; r < polygon.length; r++) {
        ringPolygon.push(p);
        ringIndex.push(r);
      }
    }
    const eachEdge = (
      visit: (ring: number, i: Position, j: Position, from: number, to: number) => void,
    ) => {
      let ringNumber = 0;
      for (const polygon of polygons) {
        for (const ring of polygon) {
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [, yi] = ring[i]!;
            const [, yj] = ring[j]!;
            // A flat edge never spans a latitude in insideRing's test.
            if (yi === yj) continue;
            const from = rowOf(Math.min(yi, yj) - TOUCH_MARGIN_DEGREES) - firstRow;
            const to = rowOf(Math.max(yi, yj) + TOUCH_MARGIN_DEGREES) - firstRow;
            visit(ringNumber, ring[i]!, ring[j]!, from, to);
          }
          ringNumber++;
        }
      }
    };
    const rowStart = new Uint32Array(rowCount + 1);
    let edges = 0;
    let total = 0;
    eachEdge((_ring, _i, _j, from, to) => {
      edges++;
      total += to - from + 1;
      for (let row = from; row <= to; row++) rowStart[row + 1]!++;
    });
    if (total > MAX_ROW_ENTRIES_PER_EDGE * edges + 4096) return undefined;
    for (let row = 0; row < rowCount; row++) rowStart[row + 1]! += rowStart[row]!;
    const next = rowStart.slice(0, rowCount);
    const ringOf = new Uint32Array(total);
    const coords = new Float64Array(total * 4);
    eachEdge((ring, [xi, yi], [xj, yj], from, to) => {
      for (let row = from; row <= to; row++) {
        const k = next[row]!++;
        ringOf[k] = ring;
        coords[4 * k] = xi;
        coords[4 * k + 1] = yi;
        coords[4 * k + 2] = xj;
        coords[4 * k + 3] = yj;
      }
    });
    return new RowEdges(
      firstRow,
      rowStart,
      ringOf,
      coords,
      Uint32Array.from(ringPolygon),
      Uint32Array.from(ringIndex),
      polygons.map((polygon) => polygon.length),
    );
  }

  /** insideBoundary at a point of this row of cells, from the row's edges only. */
  contains(row: number, longitude: number, latitude: number): boolean {
    const r = row - this.firstRow;
    if (r < 0 || r >= this.rowStart.length - 1) return false;
    const end = this.rowStart[r + 1]!;
    let ring = -1;
    let parity = false;
    let polygon = -1;
    let outerInside = false;
    let holeInside = false;
    for (let k = this.rowStart[r]!; k <= end; k++) {
      const entryRing = k < end ? this.ringOf[k]! : -1;
      if (entryRing !== ring) {
        if (ring >= 0) {
          const ringPolygon = this.ringPolygon[ring]!;
          if (ringPolygon !== polygon) {
            if (outerInside && !holeInside) return true;
            polygon = ringPolygon;
            outerInside = false;
            holeInside = false;
          }
          if (this.ringIndex[ring] === 0) outerInside = parity;
          else if (parity) holeInside = true;
        }
        if (k === end) break;
        ring = entryRing;
        parity = false;
      }
      const xi = this.coords[4 * k]!;
      const yi = this.coords[4 * k + 1]!;
      const xj = this.coords[4 * k + 2]!;
      const yj = this.coords[4 * k + 3]!;
      if (
        yi > latitude !== yj > latitude &&
        longitude < ((xj - xi) * (latitude - yi)) / (yj - yi) + xi
      ) {
        parity = !parity;
      }
    }
    return outerInside && !holeInside;
  }

  /** Per polygon and ring, the sorted longitudes where its edges cross latitude y of this row. */
  crossings(row: number, y: number): Float64Array[][] {
    const lists: number[][] = Array.from(this.ringPolygon, () => []);
    const r = row - this.firstRow;
    if (r >= 0 && r < this.rowStart.length - 1) {
      for (let k = this.rowStart[r]!; k < this.rowStart[r + 1]!; k++) {
        const xi = this.coords[4 * k]!;
        const yi = this.coords[4 * k + 1]!;
        const xj = this.coords[4 * k + 2]!;
        const yj = this.coords[4 * k + 3]!;
        if (yi > y !== yj > y)
          lists[this.ringOf[k]!]!.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    const result = this.ringsPerPolygon.map((count) =>
      Array.from({ length: count }, () => NO_CROSSINGS),
    );
    for (const [ring, list] of lists.entries()) {
      if (list.length > 0) {
        result[this.ringPolygon[ring]!]![this.ringIndex[ring]!] = Float64Array.from(list).sort();
      }
    }
    return result;
  }
}

/** The longitudes where the ring's edges cross the latitude y, as insideRing counts them; sorted. */
function crossingsAt(ring: readonly Position[], y: number): Float64Array {
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  return Float64Array.from(xs).sort();
}

/** True when an odd number of the sorted crossings lie east of x (insideRing's test at x). */
function oddRightOf(sorted: Float64Array, x: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! > x) high = mid;
    else low = mid + 1;
  }
  return (sorted.length - low) % 2 === 1;
}

/** The polygons of a geometry, each as its rings (outer ring first). */
export function polygonsOf(geometry: BoundaryGeometry): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The box [west, south, east, north] around every position of the geometry. */
export function boundaryBox(geometry: BoundaryGeometry): [number, number, number, number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < west) west = x;
        if (x > east) east = x;
        if (y < south) south = y;
        if (y > north) north = y;
      }
    }
  }
  return [west, south, east, north];
}
