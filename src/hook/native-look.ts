/**
 * Replacements for built-in methods that look like the built-ins: same name, same length, and a
 * `toString()` that prints the native source line. A page that inspects MediaDevices or
 * MediaStreamTrack sees the functions it expects (the one thing it can still tell is that
 * Function.prototype.toString itself answers from here, which no property of it reveals).
 */
const nativeToString = Function.prototype.toString;
const looks = new WeakMap<object, string>();
let installed = false;

function installToString(): void {
  if (installed) return;
  installed = true;
  const toString = {
    toString(this: unknown): string {
      return (typeof this === 'function' && looks.get(this)) || nativeToString.call(this as () => void);
    },
  }.toString;
  looks.set(toString, nativeToString.call(nativeToString));
  Object.defineProperty(Function.prototype, 'toString', { value: toString, writable: true, configurable: true, enumerable: false });
}

function lookLike<T extends (...args: never[]) => unknown>(fn: T, native: (...args: never[]) => unknown, name: string): T {
  installToString();
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  Object.defineProperty(fn, 'length', { value: native.length, configurable: true });
  looks.set(fn, nativeToString.call(native));
  return fn;
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `proto[name]` (a method) with `make(native)`, dressed as the native one. */
export function replaceMethod<P extends object>(proto: P, name: string, make: (native: AnyFn) => AnyFn): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  const native = descriptor?.value as AnyFn | undefined;
  if (typeof native !== 'function') return;
  Object.defineProperty(proto, name, { ...descriptor, value: lookLike(make(native), native, name) });
}

/** Replaces the getter `proto[name]` with `make(native)`, dressed as the native one. */
export function replaceGetter<P extends object>(proto: P, name: string, make: (native: (this: unknown) => unknown) => (this: unknown) => unknown): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  const native = descriptor?.get;
  if (!native) return;
  Object.defineProperty(proto, name, { ...descriptor, get: lookLike(make(native), native, `get ${name}`) });
}
