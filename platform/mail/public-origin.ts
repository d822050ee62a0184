/**
 * The platform's public origin, for links it sends out of band (an enrollment link in a mail). Never taken
 * from a request's Host header, which whoever sends the request chooses: the operator's --public-origin,
 * or else the address the server listens on (set once it listens).
 */
export class PublicOrigin {
  #origin: string | undefined;

  set(origin: string): void {
    this.#origin = origin.replace(/\/+$/, '');
  }

  get(): string | undefined {
    return this.#origin;
  }
}
