// The staff side of the payouts API as the pages read it (docs/payouts.md, docs/ui-payouts.md).

/** `GET/PUT /api/municipalities/:slug/payouts/settings`. */
export interface StaffPayoutSettings {
  enabled: boolean;
  rpcUrl: string;
  chainId: number;
  tokenAddress: string | null;
  tokenDecimals: number;
  tokenSymbol: string;
  /** Derived from the key by the API when the settings were saved; not sent. */
  treasuryAddress: string;
  /** `env:NAME` or `file:/absolute/path`: where the treasury's private key is. */
  treasuryKeySource: string;
  /** Token base units per point, decimal text. */
  tokenUnitsPerPoint: string;
  minPoints: number;
  maxPoints: number;
  yearlyCapPoints: number;
  approvalThresholdPoints: number | null;
  confirmations: number;
  coolingOffHours: number;
  explorerTxUrl: string | null;
}

/** `GET …/payouts/treasury`: what the treasury holds. */
export interface TreasuryBalance {
  address: string;
  tokenSymbol?: string;
  tokenDecimals?: number;
  /** Token base units, decimal text. */
  tokenBalance: string;
  /** Native currency for gas, in wei, decimal text. */
  gasBalance?: string;
  nativeBalance?: string;
}

/** `GET …/payouts/reconciliation`: the latest comparison of chain and ledger. */
export interface Reconciliation {
  id: string;
  ranAt: string;
  fromBlock: number;
  toBlock: number;
  differenceCount: number;
  differences: Record<string, unknown>[];
  summary: string | Record<string, unknown>;
}
