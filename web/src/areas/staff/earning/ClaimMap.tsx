import { Stack, Text } from '@mantine/core';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMunicipality } from '../../../api/endpoints';
import outlineClasses from '../../../components/BoundaryOutline.module.css';
import { useLocale } from '../../../i18n/useLocale';
import { metersBetween, projectClaimScene } from './claimMap';
import local from './earning.module.css';
import { formatDistance } from './earningFormat';
import type { ActivityTerms } from './earningTypes';

interface ClaimMapProps {
  slug: string;
  municipalityName: string;
  claim: { latitude: number | null; longitude: number | null };
  site: ActivityTerms['site'];
}

/**
 * A small map without tiles: the municipality's outline (as BoundaryOutline draws it), where the
 * claim was made and the activity's site with its radius, with a legend and the distance in
 * words, so it works without a map service and reads without the picture.
 */
export function ClaimMap({ slug, municipalityName, claim, site }: ClaimMapProps) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const municipality = useMunicipality(slug);
  const patternId = useId();
  const boundary = municipality.status === 'ready' ? municipality.data.boundary : null;
  const { latitude, longitude } = claim;
  const point = useMemo(
    () => (latitude !== null && longitude !== null ? { latitude, longitude } : null),
    [latitude, longitude],
  );
  const scene = useMemo(() => projectClaimScene(boundary, point, site), [boundary, point, site]);
  const distance = point && site ? metersBetween(point, site) : null;
  // Markers keep about the same size on screen whatever the scale of the drawing.
  const mark = scene ? Math.max(scene.width, scene.height) / 40 : 0;

  const summary = [
    point ? t('review.map.claimAt') : t('review.map.noClaimPlace'),
    site
      ? t('review.map.siteAt', { radius: formatDistance(site.radiusMeters, locale) })
      : t('review.map.noSite'),
    distance !== null
      ? distance > site!.radiusMeters
        ? t('review.map.outside', { distance: formatDistance(distance, locale) })
        : t('review.map.inside', { distance: formatDistance(distance, locale) })
      : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <Stack gap={4} data-testid="claim-map">
      {scene && (
        <svg
          className={local.map}
          role="img"
          aria-label={t('review.map.label', { municipality: municipalityName, summary })}
          viewBox={`0 0 ${scene.width} ${scene.height}`}
        >
          <defs>
            <pattern id={patternId} width="12" height="12" patternUnits="userSpaceOnUse">
              <path d="M0 12 12 0" className={outlineClasses.hatch} />
            </pattern>
          </defs>
          {scene.outline && (
            <>
              <path d={scene.outline} className={outlineClasses.area} fillRule="evenodd" />
              <path d={scene.outline} fill={`url(#${patternId})`} fillRule="evenodd" />
              <path d={scene.outline} className={outlineClasses.edge} fillRule="evenodd" />
            </>
          )}
          {scene.site && (
            <>
              <circle
                cx={scene.site.x}
                cy={scene.site.y}
                r={Math.max(scene.site.r, 4)}
                className={local.siteArea}
                data-part="site-area"
              />
              <rect
                x={scene.site.x - mark}
                y={scene.site.y - mark}
                width={2 * mark}
                height={2 * mark}
                className={local.siteMark}
                data-part="site"
              />
            </>
          )}
          {scene.claim && (
            <circle
              cx={scene.claim.x}
              cy={scene.claim.y}
              r={mark}
              className={local.claimMark}
              data-part="claim"
            />
          )}
        </svg>
      )}
      <ul className={local.legend}>
        {point ? (
          <li>
            <svg width="16" height="16" aria-hidden="true">
              <circle cx="8" cy="8" r="6" className={local.claimMark} />
            </svg>
            {t('review.map.legendClaim')}
          </li>
        ) : (
          <li data-testid="no-claim-place">{t('review.map.noClaimPlace')}</li>
        )}
        {site && (
          <li>
            <svg width="16" height="16" aria-hidden="true">
              <rect x="2" y="2" width="12" height="12" className={local.siteMark} />
            </svg>
            {t('review.map.legendSite', { radius: formatDistance(site.radiusMeters, locale) })}
          </li>
        )}
      </ul>
      {distance !== null && (
        <Text size="sm" fw={600} data-testid="map-distance">
          {distance > site!.radiusMeters
            ? t('review.map.outside', { distance: formatDistance(distance, locale) })
            : t('review.map.inside', { distance: formatDistance(distance, locale) })}
        </Text>
      )}
    </Stack>
  );
}
