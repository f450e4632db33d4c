import { useId, useMemo } from 'react';
import type { BoundaryGeometry } from '../api/types';
import { projectOutline } from '../geo/project';
import classes from './BoundaryOutline.module.css';

interface BoundaryOutlineProps {
  boundary: BoundaryGeometry;
  /** Accessible name of the drawing, e.g. "Outline of the boundary of Pelt". */
  label: string;
}

/** Draws a municipality's boundary as an inline SVG outline (no map tiles). */
export function BoundaryOutline({ boundary, label }: BoundaryOutlineProps) {
  const outline = useMemo(() => projectOutline(boundary), [boundary]);
  const patternId = useId();
  if (!outline) return null;
  return (
    <svg
      className={classes.outline}
      role="img"
      aria-label={label}
      viewBox={`0 0 ${outline.width} ${outline.height}`}
      data-testid="boundary-outline"
    >
      <defs>
        <pattern id={patternId} width="12" height="12" patternUnits="userSpaceOnUse">
          <path d="M0 12 12 0" className={classes.hatch} />
        </pattern>
      </defs>
      <path d={outline.d} className={classes.area} fillRule="evenodd" />
      <path d={outline.d} fill={`url(#${patternId})`} fillRule="evenodd" />
      <path d={outline.d} className={classes.edge} fillRule="evenodd" data-part="edge" />
    </svg>
  );
}
