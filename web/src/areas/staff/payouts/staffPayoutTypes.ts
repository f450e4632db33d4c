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

/** `GET …/payouts/treasury`: what the treasury holds (the worker branch's TreasuryBalance). */
export interface TreasuryBalance {
  treasuryAddress: string;
  tokenAddress: string | null;
  tokenSymbol: string;
  tokenDecimals: number;
  /** Token base units, decimal text (null without a token). */
  tokenUnits: string | null;
  /** Native currency for gas, in wei, decimal text. */
  nativeWei: string;
}

/** One difference between chain and ledger; `kind` says which (see payouts.reconcile.ts). */
export type ReconciliationDifference = { kind: string } & Record<string, unknown>;

/** `GET …/payouts/reconciliation`: the latest comparison of chain and ledger. */
export interface Reconciliation {
  id: string;
  ranAt: string;
  fromBlock: number;
  toBlock: number;
  ok: boolean;
  differences: ReconciliationDifference[];
  summary: {
    transfers: number;
    tokenUnitsSent: string;
    confirmedPayouts: number;
    confirmedPoints: number;
    ledgerPayoutPoints: number;
  };
}
