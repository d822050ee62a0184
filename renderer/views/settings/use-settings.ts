import { createSettingsStore, type SettingsState, type SettingsStore } from '../../stores/settings-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

// A master-key rotation keeps running, and its bar keeps moving, while the person looks at another screen.
export const useSettingsStore = (): SettingsStore => useFeatureStore(createSettingsStore);
export const useSettings = <T>(selector: (state: SettingsState) => T): T =>
  useFeatureState(createSettingsStore, selector);
