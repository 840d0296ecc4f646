/**
 * Jest runs our ESM TypeScript through ts-jest's ESM preset. Node needs
 * --experimental-vm-modules for that (the `test` script passes it), and imports written
 * as `./x.js` (NodeNext style) are mapped back to the .ts sources. Type checking is done
 * once by `tsc` in the test script, so ts-jest only transpiles (isolatedModules).
 */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testTimeout: 60000,
};
