/** Every report the app offers: what it is called, which records it reads and how it is computed. */
import { forecastReport, pipelineReport, salesCycleReport, timeInStageReport, winLossReport } from './deal-reports';
import { funnelReport, leadSourceReport } from './lead-reports';
import type { DataKey, ReportData, ReportFilter, ReportResult } from './report-types';
import { activityReport, contentReport, leaderboardReport } from './team-reports';

export interface ReportDef {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The records it reads (the screen loads only these). */
  readonly needs: readonly DataKey[];
  /** What the date range applies to. */
  readonly dateMeaning: string;
  readonly compute: (data: ReportData, filter: ReportFilter) => ReportResult;
}

export const REPORTS: readonly ReportDef[] = [
  {
    id: 'pipeline-stage',
    title: 'Pipeline by stage',
    description: 'Open deals by stage: amount, weighted amount and count.',
    needs: ['deals', 'users'],
    dateMeaning: 'expected close',
    compute: (d, f) => pipelineReport(d, f, 'stage'),
  },
  {
    id: 'pipeline-owner',
    title: 'Pipeline by owner',
    description: 'Each owner’s open deals, stacked by stage.',
    needs: ['deals', 'users'],
    dateMeaning: 'expected close',
    compute: (d, f) => pipelineReport(d, f, 'owner'),
  },
  {
    id: 'forecast',
    title: 'Forecast by month',
    description: 'Won, commit, best case and weighted by month, converted with the rate on each deal’s date.',
    needs: ['deals'],
    dateMeaning: 'expected close (open) or close (won)',
    compute: forecastReport,
  },
  {
    id: 'winloss-source',
    title: 'Win rate by source',
    description: 'Deals won and lost, and the win rate, by lead source.',
    needs: ['deals', 'users'],
    dateMeaning: 'close date',
    compute: (d, f) => winLossReport(d, f, 'source'),
  },
  {
    id: 'winloss-owner',
    title: 'Win rate by owner',
    description: 'Deals won and lost, and the win rate, by owner.',
    needs: ['deals', 'users'],
    dateMeaning: 'close date',
    compute: (d, f) => winLossReport(d, f, 'owner'),
  },
  {
    id: 'winloss-product',
    title: 'Win rate by product',
    description: 'Deals won and lost by the products on their line items.',
    needs: ['deals', 'users', 'dealProducts', 'products'],
    dateMeaning: 'close date',
    compute: (d, f) => winLossReport(d, f, 'product'),
  },
  {
    id: 'sales-cycle',
    title: 'Sales cycle',
    description: 'Average days from a deal’s creation to its win, by owner.',
    needs: ['deals', 'users'],
    dateMeaning: 'close date',
    compute: salesCycleReport,
  },
  {
    id: 'time-in-stage',
    title: 'Time in stage',
    description: 'Average days deals spend in each stage, from the stage history.',
    needs: ['deals', 'stageHistory'],
    dateMeaning: 'stage change',
    compute: timeInStageReport,
  },
  {
    id: 'lead-sources',
    title: 'Lead source attribution',
    description: 'Leads by source: conversion rate and what their deals won.',
    needs: ['leads', 'deals'],
    dateMeaning: 'lead created',
    compute: leadSourceReport,
  },
  {
    id: 'funnel',
    title: 'Conversion funnel',
    description: 'Leads that reached new → contacted → qualified → converted.',
    needs: ['leads'],
    dateMeaning: 'lead created',
    compute: funnelReport,
  },
  {
    id: 'activity',
    title: 'Activity per rep',
    description: 'Calls, emails, meetings logged and tasks completed, per rep.',
    needs: ['communications', 'tasks', 'users'],
    dateMeaning: 'activity date',
    compute: activityReport,
  },
  {
    id: 'leaderboard',
    title: 'Team leaderboard',
    description: 'Reps by amount won, with win rate and activities.',
    needs: ['deals', 'communications', 'tasks', 'users', 'groups', 'members'],
    dateMeaning: 'close / activity date',
    compute: (d, f) => leaderboardReport(d, f, 'rep'),
  },
  {
    id: 'leaderboard-team',
    title: 'Leaderboard by team',
    description: 'Teams by amount won, with win rate and activities per rep.',
    needs: ['deals', 'communications', 'tasks', 'users', 'groups', 'members'],
    dateMeaning: 'close / activity date',
    compute: (d, f) => leaderboardReport(d, f, 'team'),
  },
  {
    id: 'content',
    title: 'Content engagement',
    description: 'The most engaged-with content: views, downloads, shares and people reached.',
    needs: ['content', 'interactions'],
    dateMeaning: 'interaction date',
    compute: contentReport,
  },
];

export const reportById = (id: string | undefined): ReportDef =>
  REPORTS.find((r) => r.id === id) ?? (REPORTS[0] as ReportDef);

export const EMPTY_DATA: ReportData = {
  deals: [],
  dealProducts: [],
  products: [],
  stageHistory: [],
  leads: [],
  communications: [],
  tasks: [],
  content: [],
  interactions: [],
  users: [],
  groups: [],
  members: [],
};
