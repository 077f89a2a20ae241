/*
 * roles.h - the command-line roles of the one binary (DESIGN.md §4).
 * Each takes the arguments after the role name (argv[0] is the role) and
 * returns the process exit status.  main.c only dispatches.
 */
#ifndef ROLES_H
#define ROLES_H

int role_run(int argc, char **argv);      /* kiosk/app_main.c: resident UI */
int role_display(int argc, char **argv);  /* screens/board.c etc: lobby board */
int role_serve(int argc, char **argv);    /* kiosk/server/serve.c */
int role_card(int argc, char **argv);     /* kiosk/card/card_cli.c */
int role_print(int argc, char **argv);    /* kiosk/print/print_cli.c */
int role_report(int argc, char **argv);   /* kiosk/evidence/report_cli.c */
int role_simulate(int argc, char **argv); /* kiosk/evidence/report_cli.c */
int role_config(int argc, char **argv);   /* kiosk/main.c: check / doc */
int role_setup(int argc, char **argv);    /* kiosk/ops/setup.c: first start */
int role_status(int argc, char **argv);   /* kiosk/ops/status.c: health */
int role_backup(int argc, char **argv);   /* kiosk/ops/backup_cli.c */
int role_restore(int argc, char **argv);  /* kiosk/ops/backup_cli.c */
int role_hours(int argc, char **argv);    /* kiosk/ops/hours.c */
int role_appointments(int argc, char **argv); /* kiosk/ops/appt_cli.c */

#endif
