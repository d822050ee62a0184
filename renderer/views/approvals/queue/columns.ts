/** The queue's columns, in order; the header and every row lay out on the same CSS grid template. */
export const columns = ['Lane', 'Kind', 'Title', 'Requester', 'Age', 'Approvals', 'Status'] as const;
/** Fixed row height: the virtualizer never has to measure, so scrolling stays cheap. */
export const ROW_HEIGHT = 40;
