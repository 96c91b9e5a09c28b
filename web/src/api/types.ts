// Shapes of the Ledgerlink (Codat-compatible) API that the portal reads. Kept loose where the server may add fields.

export interface ValidationItem {
  itemId?: string | null;
  message: string;
  validatorName?: string | null;
  ruleId?: string | null;
}

export interface ErrorBody {
  statusCode: number;
  service?: string;
  error: string;
  correlationId?: string;
  validation?: { errors?: ValidationItem[]; warnings?: ValidationItem[] } | null;
  canBeRetried?: string | boolean;
  detailedErrorCode?: number;
}

export interface Page<T> {
  results: T[];
  pageNumber: number;
  pageSize: number;
  totalResults: number;
  _links?: Record<string, { href: string } | undefined>;
}

export interface Integration {
  key: string;
  name: string;
  logoUrl?: string;
  enabled: boolean;
  configured: boolean;
  sourceType?: string;
  isBeta?: boolean;
  datatypeFeatures?: { dataType: string; supportedFeatures: { featureType: string; featureState: string }[] }[];
}

export type EnvironmentName = 'production' | 'sandbox';

export interface IntegrationEnvironment {
  configured: boolean;
  clientId: string | null;
  clientSecret: string | null;
  subscriptionKey: string | null;
  authBaseUrl?: string;
  apiBaseUrl?: string;
}

export interface IntegrationSettings {
  platformKey: string;
  enabled: boolean;
  activeEnvironment: EnvironmentName;
  redirectUri: string;
  environments: Record<EnvironmentName, IntegrationEnvironment>;
}

export type ConnectionStatus = 'PendingAuth' | 'Linked' | 'Unlinked' | 'Deauthorized';

export interface DataConnectionError {
  statusCode?: string | number;
  statusText?: string;
  errorMessage?: string;
  erroredOnUtc?: string;
  status?: string | null;
}

export interface Connection {
  id: string;
  integrationKey?: string;
  platformName?: string;
  status: ConnectionStatus;
  linkUrl: string;
  created?: string;
  lastSync?: string | null;
  dataConnectionErrors?: DataConnectionError[] | null;
  connectionInfo?: {
    siteName?: string;
    siteId?: string;
    companyName?: string;
    companyId?: string | number;
    refreshTokenExpiresAt?: string;
  } | null;
}

export interface Company {
  id: string;
  name: string;
  description?: string | null;
  redirect: string;
  created?: string;
  lastSync?: string | null;
  dataConnections?: Connection[];
}

export interface DataStatus {
  dataType: string;
  currentStatus?: string;
  lastSuccessfulSync?: string | null;
  latestSyncId?: string | null;
  latestSuccessfulSyncId?: string | null;
}

export interface PullOperation {
  id: string;
  dataType: string;
  status: string;
  progress?: number;
  requested?: string;
  completed?: string | null;
  errorMessage?: string | null;
  isCompleted?: boolean;
  isErrored?: boolean;
  connectionId?: string;
}

export interface ValidationResult {
  id?: string;
  companyId?: string;
  dateTime?: string;
  errors: ValidationItem[];
  warnings: ValidationItem[];
}

export interface PushOperation {
  pushOperationKey: string;
  dataType?: string;
  status: 'Pending' | 'Success' | 'Failed' | 'TimedOut' | string;
  statusCode?: number;
  requestedOnUtc?: string;
  completedOnUtc?: string | null;
  errorMessage?: string | null;
  validation?: { errors?: ValidationItem[]; warnings?: ValidationItem[] } | null;
  changes?: { type: string; recordRef?: { id: string; dataType?: string } }[] | null;
}

export interface ReportLine {
  accountId?: string | null;
  name: string;
  value: number | string;
  items?: ReportLine[];
}

export interface BalanceSheetReport {
  date: string;
  assets?: ReportLine;
  liabilities?: ReportLine;
  equity?: ReportLine;
  netAssets: number | string;
}

export interface ProfitAndLossReport {
  fromDate: string;
  toDate: string;
  income?: ReportLine;
  costOfSales?: ReportLine;
  grossProfit: number | string;
  expenses?: ReportLine;
  netOperatingProfit: number | string;
  otherExpenses?: ReportLine;
  otherIncome?: ReportLine;
  netOtherIncome: number | string;
  netProfit: number | string;
}

export interface Statement<R> {
  currency?: string;
  reportBasis?: string;
  reports: R[];
  mostRecentAvailableMonth?: string;
  earliestAvailableMonth?: string;
}

export interface ApiKey {
  id: string;
  name?: string | null;
  createdUtc?: string;
  apiKey?: string;
}

export interface SyncSetting {
  dataType: string;
  fetchOnFirstLink: boolean;
  syncSchedule: number;
  syncOrder?: number;
  syncFromUtc?: string | null;
  syncFromWindow?: number | null;
  monthsToSync?: number | null;
  isLocked?: boolean | null;
}

export interface SyncSettings {
  clientId?: string;
  settings: SyncSetting[];
  overridesDefaults?: boolean;
}

export interface PortalConfig {
  embedded?: boolean;
  simulatorUrl?: string | null;
  publicUrl?: string;
  version?: string;
}
