import { createReviewsStore, type ReviewsState, type ReviewsStore } from '../../stores/reviews-store';
import { useFeatureState, useFeatureStore } from '../../use-feature-store';

export const useReviewsStore = (): ReviewsStore => useFeatureStore(createReviewsStore);
export const useReviews = <T>(selector: (state: ReviewsState) => T): T =>
  useFeatureState(createReviewsStore, selector);
