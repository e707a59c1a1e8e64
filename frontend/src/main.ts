import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { setLocale, systemLocale } from './lib/i18n'

// The system's language until Go says which one is set; its catalog loads
// while Go starts (App.svelte waits for the one set before the overview).
void setLocale(systemLocale())

// Platform-specific styles (app.css: the font families).
document.documentElement.dataset.platform = platformOf(navigator.platform)

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

export default mount(App, { target })

function platformOf(platform: string): 'mac' | 'windows' | 'linux' {
  if (platform.startsWith('Mac')) return 'mac'
  if (platform.startsWith('Win')) return 'windows'
  return 'linux'
}
