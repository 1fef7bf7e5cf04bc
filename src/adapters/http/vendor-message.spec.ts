import { GatewayError } from '../../domain/errors';
import { encodeBody, resolveTarget, vendorResponse } from './vendor-message';

describe('resolveTarget', () => {
  it('joins base paths and request paths with exactly one slash', () => {
    expect(resolveTarget('http://h/x/', { method: 'GET', path: '/a' }).path).toBe('/x/a');
    expect(resolveTarget('http://h/x', { method: 'GET', path: 'a/b' }).path).toBe('/x/a/b');
    expect(resolveTarget('http://h', { method: 'GET', path: '/a' }).path).toBe('/a');
    expect(resolveTarget('https://h:8474/', { method: 'GET', path: '/a' }).origin).toBe('https://h:8474');
  });

  it('keeps the request path as encoded by the adapter', () => {
    const target = resolveTarget('http://h/', {
      method: 'GET',
      path: `/users/${encodeURIComponent('../x y')}`,
    });
    expect(target.path).toBe('/users/..%2Fx%20y');
  });

  it('encodes the query, drops undefined values and writes booleans as words', () => {
    const target = resolveTarget('http://h/', {
      method: 'GET',
      path: '/u?fixed=1',
      query: { name: 'a b', skip: undefined, on: true, off: false, n: 3 },
    });
    expect(target.path).toBe('/u?fixed=1&name=a+b&on=true&off=false&n=3');
  });

  it('redacts secret-named query values in the recorded path only', () => {
    const target = resolveTarget('http://h/', {
      method: 'GET',
      path: '/u',
      query: { name: 'ctx', password: 's3cret', apiKey: 'k' },
    });
    expect(target.path).toBe('/u?name=ctx&password=s3cret&apiKey=k');
    expect(target.recordedPath).toBe('/u?name=ctx&password=[redacted]&apiKey=[redacted]');
  });

  it('uses the request base URL when given and rejects non-http schemes', () => {
    expect(resolveTarget('http://a/', { method: 'GET', path: '/p', baseUrl: 'http://b:81/q' }).origin).toBe(
      'http://b:81',
    );
    expect(() => resolveTarget('file:///etc/passwd', { method: 'GET', path: '/' })).toThrow(GatewayError);
    expect(() => resolveTarget('not a url', { method: 'GET', path: '/' })).toThrow(GatewayError);
    expect(() => resolveTarget('http://h/', { method: 'GET', path: '/a\r\nX: y' })).toThrow(GatewayError);
  });
});

describe('encodeBody', () => {
  it('sends JSON as application/json', () => {
    expect(encodeBody({ method: 'POST', path: '/', json: { a: 1 } })).toEqual({
      body: '{"a":1}',
      contentType: 'application/json',
    });
  });

  it('sends forms urlencoded in insertion order', () => {
    expect(encodeBody({ method: 'POST', path: '/', form: { z: '1', a: 'x y&' } })).toEqual({
      body: 'z=1&a=x+y%26',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('sends nothing without a body', () => {
    expect(encodeBody({ method: 'GET', path: '/' })).toEqual({});
  });
});

describe('vendorResponse', () => {
  it('strips a leading BOM and parses JSON', () => {
    const response = vendorResponse(200, {}, Buffer.from('\uFEFF{"ok":true}', 'utf8'));
    expect(response.text).toBe('{"ok":true}');
    expect(response.json()).toEqual({ ok: true });
  });

  it('turns garbage into a 502 provider_unavailable without echoing it', () => {
    const response = vendorResponse(200, {}, Buffer.from('<html>password=hunter2</html>'));
    const error = (() => {
      try {
        response.json();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'provider_unavailable', status: 502 });
    expect((error as GatewayError).detail).not.toContain('hunter2');
  });
});
