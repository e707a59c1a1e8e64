import './app.css'
import { setLocale, systemLocale } from './lib/i18n'
import { platformOf, startWindow } from './start'

// The system's language until Go says which one is set; its catalog loads
// while Go starts (App.svelte waits for the one set before the overview).
void setLocale(systemLocale())

// Platform-specific styles (app.css: the font families). A page with a
// first screen has it from Go already: setting it again would restyle.
const platform = platformOf(navigator.platform)
if (document.documentElement.dataset.platform !== platform) document.documentElement.dataset.platform = platform

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')
void startWindow(target, platform)
