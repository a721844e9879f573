// The timeline and the other sections of a record's "360" view, shared by contacts, companies, leads and deals.
export { OpenTasks } from './components/OpenTasks';
export { RecordLink, SCREEN_OF } from './components/RecordLink';
export { RecordNotes } from './components/RecordNotes';
export { RecordTimeline, type RecordTimelineProps } from './components/RecordTimeline';
export { RelatedDeals } from './components/RelatedDeals';
export { SocialProfiles } from './components/SocialProfiles';
export { addNote, type NewNote } from './notes.service';
export { dealTotals, observeDeals, observeOpenTasks } from './related.queries';
export { addSocialProfile, handleOf, type NewSocialProfile, platformOf } from './social-profiles.service';
export {
  mergeTimeline,
  observeTimeline,
  type TimelineItem,
  type TimelineKind,
  type TimelinePage,
  type TimelineSubjectType,
} from './timeline.queries';
