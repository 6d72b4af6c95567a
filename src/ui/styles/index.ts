// The page's stylesheet, one file per part of the page, in cascade order (Vite bundles them).
import './theme.css';
import './frame.css';
import './panels.css';
import './tabs.css';
import './form.css';
import './progress.css';
import './players.css';
import './history.css';
import './dtype.css';
