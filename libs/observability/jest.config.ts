// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unitProject } = require('../../jest.preset.js');

export default unitProject(__dirname, 'observability');
