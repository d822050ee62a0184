import { createMembersStore, type MembersState, type MembersStore } from '../../stores/members-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

export const useMembersStore = (): MembersStore => useFeatureStore(createMembersStore);
export const useMembers = <T>(selector: (state: MembersState) => T): T =>
  useFeatureState(createMembersStore, selector);
