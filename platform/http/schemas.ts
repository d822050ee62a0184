import { ErrorBody } from '../../shared/api/common';

/** Every route declares its error replies too, so a reply can never leave without matching a schema. */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;
