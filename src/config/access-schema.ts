import { z } from 'zod';
import { cidrProblem } from '../core/cidr.js';

const cidr = z.string().superRefine((text, context) => {
  const problem = cidrProblem(text);
  if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

/** A list of client networks, as keys (`allowedCidrs`) and `access.trustedProxies` name them. */
export const cidrListSchema = z.array(cidr).max(100);

/** Who may reach the gateway and how hard guessing keys is made. */
export const accessSchema = z
  .object({
    failedAuth: z
      .object({
        /** Failed authentications a client address may make at once before it gets 429. */
        burst: z.number().int().positive().default(20),
        /** How fast that allowance comes back, in failures per minute. */
        perMinute: z.number().positive().default(10),
        /** Client addresses remembered at most; the least recently seen is forgotten first. */
        maxAddresses: z.number().int().positive().default(100_000),
      })
      .strict()
      .default({}),
    rotation: z
      .object({
        /** How long a rotated-out key secret keeps working, unless the rotation asks for another period. */
        graceSeconds: z.number().int().nonnegative().default(3600),
      })
      .strict()
      .default({}),
    /** Proxies whose X-Forwarded-For is believed. Empty: the socket's peer is the client, whatever the header says. */
    trustedProxies: cidrListSchema.default([]),
  })
  .strict();

export type AccessConfig = z.infer<typeof accessSchema>;
