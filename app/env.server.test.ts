import { describe, expect, it } from 'vitest'
import { EnvError, parseEnv } from './env.server.ts'

describe('parseEnv', () => {
  it('fills defaults for a bare environment', () => {
    const env = parseEnv({})
    expect(env.PORT).toBe(3000)
    expect(env.DATA_DIR).toBe('./data')
    expect(env.DATABASE_URL).toBeUndefined()
  })

  it('accepts a server URL and trims PUBLIC_URL', () => {
    const env = parseEnv({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      PUBLIC_URL: 'https://threadline.example/',
      PORT: '8080',
    })
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/test')
    expect(env.PUBLIC_URL).toBe('https://threadline.example')
    expect(env.PORT).toBe(8080)
  })

  it.each([
    [{ DATABASE_URL: 'mysql://root@localhost/x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('names the bad variable in one line: %j', (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError)
    try {
      parseEnv(source)
    } catch (error) {
      const message = (error as Error).message
      expect(message).toContain(name)
      expect(message).not.toContain('\n')
    }
  })
})
