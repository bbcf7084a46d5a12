import { hierarchy, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3-hierarchy';
import { ChevronRight, Folder, RefreshCw } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { categories, categoryInfo, type Category } from '../../../../src-shared/models/categories';
import type { LargeFile, UsageNode } from '../../../../src-shared/models/usage';
import { formatAgo, formatBytes, formatCount, formatFiles } from '../../lib/format';
import { valueOf } from '../../store/loadable';
import { useTend } from '../../store/use-tend';
import { ErrorBox } from '../common/error-box';
import { Loading, Spinner } from '../common/loading';

// The map is laid out in the pixels it is drawn in (measured), so a folder's header strip is
// always tall enough for its name, however narrow the window: in a fixed coordinate space
// scaled down, the strip shrank under the name and a subfolder's name covered it.
// The name strip: its 2 px border and a 19 px line of text (17 px and 1 px of padding above and below).
const LABEL_HEIGHT = 22;
/** The size the map is laid out at before it has been measured. */
const INITIAL_SIZE = { width: 1000, height: 420 } as const;

/** A size in pixels. */
export interface MapSize {
  readonly width: number;
  readonly height: number;
}

/** The size of an element as drawn, kept current as the window changes. */
function useDrawnSize(element: HTMLElement | null): MapSize {
  const [size, setSize] = useState<MapSize>(INITIAL_SIZE);
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const box = entry?.contentRect;
      if (box && box.width > 0 && box.height > 0) {
        setSize((current) =>
          Math.round(current.width) === Math.round(box.width) &&
          Math.round(current.height) === Math.round(box.height)
            ? current
            : { width: box.width, height: box.height },
        );
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return size;
}

/** The category that takes most of a folder, for its colour. */
export function dominantCategory(node: UsageNode): Category {
  let best: Category = 'irreplaceable';
  for (const category of categories) {
    if (node.byCategory[category] > node.byCategory[best]) best = category;
  }
  return best;
}

/** Bytes of a folder not in the subfolders listed below it (its own files, small folders). */
function restOf(node: UsageNode): number {
  const listed = node.children.reduce((sum, child) => sum + child.apparentBytes, 0);
  return Math.max(0, node.apparentBytes - listed);
}

/** A tile of the map: a folder, or the files sitting directly in a folder (`rest`). */
export interface MapItem {
  node: UsageNode;
  rest: boolean;
  children: MapItem[];
}

function mapItem(node: UsageNode, depth: number): MapItem {
  const children =
    depth > 0 && node.children.length > 0
      ? node.children.map((child) => mapItem(child, depth - 1))
      : [];
  // What the listed subfolders do not hold gets its own tile, so no area is left unexplained.
  const rest = children.length > 0 ? restOf(node) : 0;
  if (rest > 0)
    children.push({
      node: { ...node, children: [], apparentBytes: rest },
      rest: true,
      children: [],
    });
  return { node, rest: false, children };
}

/**
 * The squarified treemap of a folder two levels deep, in pixels of `size` (d3-hierarchy lays
 * out, React draws). A top-level folder keeps a LABEL_HEIGHT strip at its top for its name.
 */
export function layoutTreemap(
  node: UsageNode,
  size: MapSize = INITIAL_SIZE,
): Array<HierarchyRectangularNode<MapItem>> {
  const root = hierarchy(mapItem(node, 2), (d) => (d.children.length > 0 ? d.children : undefined))
    .sum((d) => (d.children.length > 0 ? 0 : d.node.apparentBytes))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  treemap<MapItem>()
    .tile(treemapSquarify)
    .size([size.width, size.height])
    .paddingInner(3)
    .paddingTop((d) => (d.depth === 1 ? LABEL_HEIGHT : 0))
    .paddingRight((d) => (d.depth === 1 ? 3 : 0))
    .paddingBottom((d) => (d.depth === 1 ? 3 : 0))
    .paddingLeft((d) => (d.depth === 1 ? 3 : 0))
    .round(false)(root);
  return (root.descendants() as Array<HierarchyRectangularNode<MapItem>>).filter(
    (d) => d.depth > 0,
  );
}

function Breadcrumb(props: { path: string; onOpen: (path: string) => void }): React.JSX.Element {
  const parts = props.path.split('/').filter(Boolean);
  return (
    <nav className="usage-breadcrumb" aria-label="Folder">
      <button type="button" className="button-link" onClick={() => props.onOpen('')}>
        Data folder
      </button>
      {parts.map((part, index) => {
        const target = parts.slice(0, index + 1).join('/');
        const last = index === parts.length - 1;
        return (
          <span key={target} className="usage-crumb">
            <ChevronRight size={14} aria-hidden />
            {last ? (
              <span aria-current="page">{part}</span>
            ) : (
              <button type="button" className="button-link" onClick={() => props.onOpen(target)}>
                {part}
              </button>
            )}
          </span>
        );
      })}
    </nav>
  );
}

function Tile(props: {
  tile: HierarchyRectangularNode<MapItem>;
  total: number;
  onOpen: (path: string) => void;
  size: MapSize;
}): React.JSX.Element | null {
  const { tile, total, onOpen, size } = props;
  const width = tile.x1 - tile.x0;
  const height = tile.y1 - tile.y0;
  if (width < 2 || height < 2) return null;
  const { node, rest } = tile.data;
  const colour = categoryInfo[dominantCategory(node)].colour;
  const outer = tile.depth === 1 && !rest;
  const share = total > 0 ? (node.apparentBytes / total) * 100 : 0;
  const name = rest ? `files in ${node.name || 'the data folder'}` : node.name;
  const canOpen = !rest && (node.folders > 0 || node.files > 0);
  const title = rest
    ? `Files directly in ${node.path || 'the data folder'} and small folders\n${formatBytes(node.apparentBytes)} (${share.toFixed(1)}%)`
    : `${node.path}\n${formatBytes(node.apparentBytes)} (${share.toFixed(1)}%), ${formatFiles(node.files)}`;
  const className = rest
    ? 'treemap-tile treemap-tile-rest'
    : outer
      ? 'treemap-tile treemap-tile-outer'
      : 'treemap-tile treemap-tile-inner';
  return (
    <button
      type="button"
      className={className}
      style={
        {
          left: `${(tile.x0 / size.width) * 100}%`,
          top: `${(tile.y0 / size.height) * 100}%`,
          width: `${(width / size.width) * 100}%`,
          height: `${(height / size.height) * 100}%`,
          ...(rest ? {} : outer ? { borderColor: colour } : { '--tile-colour': colour }),
        } as React.CSSProperties
      }
      title={title}
      aria-label={`${name}: ${formatBytes(node.apparentBytes)}`}
      disabled={!canOpen}
      onClick={(event) => {
        event.stopPropagation();
        onOpen(node.path);
      }}
    >
      {width > 60 && height > 16 ? (
        <span className="treemap-label">
          <span className="treemap-name">{name}</span>
          {width > 120 ? (
            <span className="treemap-size numeric">{formatBytes(node.apparentBytes)}</span>
          ) : null}
        </span>
      ) : null}
    </button>
  );
}

/**
 * A path that, too long for its cell, loses the end of its folders first, then the end
 * of its file name before the extension, which stays whole (the tooltip has the whole path).
 */
function MiddleCutPath(props: { path: string }): React.JSX.Element {
  const slash = props.path.lastIndexOf('/');
  const name = props.path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  // An extension is the last dot's tail when short and not the whole name (".env" has none).
  const cut = dot > 0 && name.length - dot <= 12 ? dot : name.length;
  return (
    <span className="mono usage-file-path">
      {slash >= 0 ? (
        <span className="usage-file-folder">{props.path.slice(0, slash + 1)}</span>
      ) : null}
      <span className="usage-file-name">
        <span className="usage-file-stem">{name.slice(0, cut)}</span>
        {cut < name.length ? <span className="usage-file-ext">{name.slice(cut)}</span> : null}
      </span>
    </span>
  );
}

function LargestFiles(props: { files: ReadonlyArray<LargeFile>; prefix: string }) {
  if (props.files.length === 0) {
    return <p className="muted">No large files here.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table usage-largest">
        <thead>
          <tr>
            <th>Largest files</th>
            <th className="num">Size</th>
            <th className="num">On disk</th>
            <th>Changed</th>
          </tr>
        </thead>
        <tbody>
          {props.files.map((file) => (
            <tr key={file.path}>
              <td className="usage-file-cell" title={file.path}>
                <span className="usage-file">
                  <span
                    className="swatch"
                    style={{ background: categoryInfo[file.category].colour }}
                    title={categoryInfo[file.category].label}
                  />
                  <MiddleCutPath path={file.path.slice(props.prefix.length)} />
                </span>
              </td>
              <td className="num">{formatBytes(file.apparentBytes)}</td>
              <td className="num">{formatBytes(file.allocatedBytes)}</td>
              <td className="muted">{formatAgo(file.modifiedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The map of what fills the data folder: a treemap of the folder shown, two levels deep,
 * coloured by the category that dominates each folder; click a tile to go in, use the
 * breadcrumb to come back. Below it, the largest files of that folder.
 */
export function UsageTreemap(): React.JSX.Element {
  const tree = useTend((state) => state.usageTree);
  const live = useTend((state) => state.liveUsage);
  const path = useTend((state) => state.usagePath);
  const loadTree = useTend((state) => state.loadUsageTree);
  const startScan = useTend((state) => state.startUsageScan);
  const view = valueOf(tree);
  // While a scan runs, the root's map grows as the figures stream in.
  const node = live && path === '' ? live.tree : (view?.node ?? null);
  // A state, not a ref: the map appears only once there are figures to draw.
  const [mapElement, setMapElement] = useState<HTMLDivElement | null>(null);
  const size = useDrawnSize(mapElement);
  const tiles = useMemo(() => (node ? layoutTreemap(node, size) : []), [node, size]);
  const scanning = live !== null || view?.scanning === true;
  const report = live?.report ?? view?.report ?? null;

  return (
    <section className="panel" aria-labelledby="usage-map-title" data-testid="usage-map">
      <div className="panel-head">
        <h2 className="panel-title" id="usage-map-title">
          Where the space goes
        </h2>
        <span
          className="muted numeric"
          data-testid="usage-map-total"
          data-bytes={scanning ? undefined : report?.totals.apparentBytes}
          data-allocated={scanning ? undefined : report?.totals.allocatedBytes}
        >
          {scanning
            ? `Scanning… ${formatCount(report?.totals.files ?? 0)} files so far`
            : report
              ? `${formatBytes(report.totals.apparentBytes)} (${formatBytes(report.totals.allocatedBytes)} on disk), scanned ${formatAgo(report.scannedAt)}`
              : null}
        </span>
        <button
          type="button"
          className="button button-small"
          onClick={() => void startScan('auto')}
          disabled={scanning}
        >
          {scanning ? <Spinner /> : <RefreshCw size={14} aria-hidden />} Scan again
        </button>
      </div>
      <Breadcrumb path={path} onOpen={(target) => void loadTree(target)} />
      {report && report.stats.unreadable > 0 ? (
        <div className="notice notice-warning" role="status">
          {formatCount(report.stats.unreadable)} entries could not be read and are not counted (for
          example {report.stats.unreadableExamples[0]?.path}:{' '}
          {report.stats.unreadableExamples[0]?.message}). Check their permissions.
        </div>
      ) : null}
      {tree.status === 'error' ? (
        <ErrorBox error={tree.error} title="Could not show the folder map" />
      ) : null}
      {node ? (
        <>
          <div
            className="treemap"
            role="group"
            aria-label={`Folders of ${path || 'the data folder'}`}
            ref={setMapElement}
          >
            {tiles.map((tile) => (
              <Tile
                key={`${tile.data.node.path}${tile.data.rest ? '#files' : ''}`}
                tile={tile}
                total={node.apparentBytes}
                onOpen={(target) => void loadTree(target)}
                size={size}
              />
            ))}
            {tiles.length === 0 ? (
              <p className="treemap-empty">
                <Folder size={16} aria-hidden /> No subfolders: {formatFiles(node.files)},{' '}
                {formatBytes(node.apparentBytes)}.
              </p>
            ) : null}
          </div>
          <ul className="treemap-legend" aria-label="Colours">
            {categories.map((category) => (
              <li key={category}>
                <span className="swatch" style={{ background: categoryInfo[category].colour }} />
                {categoryInfo[category].label}
              </li>
            ))}
            <li className="muted">Tiles take the colour of the data that fills them most.</li>
          </ul>
          {view && !live ? (
            <LargestFiles files={view.largestFiles} prefix={path ? `${path}/` : ''} />
          ) : null}
        </>
      ) : (
        <Loading label="Measuring every folder…" />
      )}
    </section>
  );
}
