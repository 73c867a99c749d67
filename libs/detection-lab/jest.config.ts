const { unitProject } = require('../../jest.preset.js');

export default unitProject(__dirname, 'detection-lab');
