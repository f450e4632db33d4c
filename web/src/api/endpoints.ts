import type { MunicipalityDetail, MunicipalityList, Passkey, Region, Wallet } from './types';
import { useApiResource } from './useApiResource';

/** The region this deployment serves (names, demo flag). */
export function useRegion() {
  return useApiResource<Region>('/api/region');
}

/** All municipalities of the region. */
export function useMunicipalities() {
  return useApiResource<MunicipalityList>('/api/municipalities');
}

/** One municipality with its boundary; a 404 comes back as an error of kind `not_found`. */
export function useMunicipality(slug: string) {
  return useApiResource<MunicipalityDetail>(`/api/municipalities/${encodeURIComponent(slug)}`);
}

/** The signed-in resident's points; never cached, it is personal and changes. */
export function useWallet() {
  return useApiResource<Wallet>('/api/me/wallet', { cache: false });
}

/** The signed-in resident's passkeys; personal, never cached. */
export function usePasskeys() {
  return useApiResource<{ items: Passkey[] }>('/api/me/passkeys', { cache: false });
}
