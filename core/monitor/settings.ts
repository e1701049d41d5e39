/**
 * The upsmon.conf values the monitor's rules depend on, with NUT's defaults.
 *
 * @module
 */

/** Timing and power parameters of the rules (seconds unless noted). */
export interface MonitorSettings {
  /** MINSUPPLIES: minimum healthy power value (default 1). */
  readonly minSupplies: number;
  /** POLLFREQ (default 5). */
  readonly pollFreq: number;
  /** POLLFREQALERT (default 5). */
  readonly pollFreqAlert: number;
  /** DEADTIME (default 15). */
  readonly deadTime: number;
  /** HOSTSYNC (default 15). */
  readonly hostSync: number;
  /** RBWARNTIME (default 43200). */
  readonly rbWarnTime: number;
  /** NOCOMMWARNTIME (default 300). */
  readonly noCommWarnTime: number;
  /** FINALDELAY (default 5). */
  readonly finalDelay: number;
  /** OFFDURATION (2.8.1+, default 30; 0 = at once; negative = never critical). */
  readonly offDuration: number;
  /** OVERDURATION (2.8.3+, default -1 = never assume an overloaded silent UPS dead). */
  readonly overDuration: number;
  /** OBLBDURATION (2.8.3+, default 0 = OB+LB is critical at once). */
  readonly oblbDuration: number;
  /** ALARMCRITICAL (2.8.3+, default true). */
  readonly alarmCritical: boolean;
}

/** NUT 2.8's defaults. */
export const DEFAULT_SETTINGS: MonitorSettings = {
  minSupplies: 1,
  pollFreq: 5,
  pollFreqAlert: 5,
  deadTime: 15,
  hostSync: 15,
  rbWarnTime: 43200,
  noCommWarnTime: 300,
  finalDelay: 5,
  offDuration: 30,
  overDuration: -1,
  oblbDuration: 0,
  alarmCritical: true,
};

/** One MONITOR line as the rules see it. */
export interface MonitorEntry {
  /** `ups[@host[:port]]` exactly as written (the `%s` of messages, UPSNAME). */
  readonly system: string;
  /** Power value (0 = monitoring only). */
  readonly powerValue: number;
  /** `primary`/`master` (true) or `secondary`/`slave` (false). */
  readonly primary: boolean;
}
