import { z } from 'zod';

/** Every organization has exactly these two isolated environments. */
export const environments = ['test', 'live'] as const;
export const Environment = z.enum(environments);
export type Environment = z.infer<typeof Environment>;
