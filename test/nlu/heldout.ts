// The tests read the same labelled data as `npm run nlu:eval`, through the same loader.
export { HELDOUT_PATH, INTENTS_DIR, loadHeldout } from '../../scripts/data';
